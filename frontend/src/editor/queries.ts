import { graphql } from "../gql";

export const EditorCatalogQuery = graphql(`
  query EditorCatalog {
    resources {
      id
      name
      channel
    }
    bonusTemplates {
      id
      name
    }
  }
`);

export const ValidateQuery = graphql(`
  query ValidateJourney($definition: JSON!) {
    validateJourney(definition: $definition) {
      stepId
      severity
      message
    }
  }
`);

export const PreviewQuery = graphql(`
  query PreviewJourney(
    $definition: JSON!
    $externalId: String!
    $event: EventInput
    $journeyId: ID
    $reentryMode: ReentryMode
    $controlGroupPercent: Float
  ) {
    previewJourney(
      definition: $definition
      externalId: $externalId
      event: $event
      journeyId: $journeyId
      reentryMode: $reentryMode
      controlGroupPercent: $controlGroupPercent
    ) {
      outcome
      blockedReason
      currentStepId
      inControlGroup
      steps {
        stepId
        kind
        outcome
        detail
      }
    }
  }
`);

export const SegmentQuery = graphql(`
  query PreviewSegment($segment: JSON!) {
    previewSegment(segment: $segment, sample: 10) {
      matched
      sample {
        id
        externalId
        username
      }
    }
  }
`);

export const VersionsQuery = graphql(`
  query EditorVersions($id: ID!) {
    journey(id: $id) {
      id
      versions {
        version
        definition
        publishedAt
        publishedBy
      }
    }
  }
`);

export const CreateJourney = graphql(`
  mutation EditorCreateJourney($input: JourneyInput!) {
    createJourney(input: $input) {
      journey {
        id
      }
      errors {
        code
        message
      }
    }
  }
`);

export const UpdateJourney = graphql(`
  mutation EditorUpdateJourney($id: ID!, $input: JourneyInput!) {
    updateJourney(id: $id, input: $input) {
      journey {
        id
        name
        description
        status
        version
        tags
        accessGroups
        triggerKind
        reentryMode
        freezeOnStop
        controlGroupPercent
        definition
        problems {
          stepId
          severity
          message
        }
        updatedAt
      }
      errors {
        code
        message
      }
    }
  }
`);

export const SaveLayout = graphql(`
  mutation EditorSaveLayout($id: ID!, $layout: JSON!) {
    saveJourneyLayout(id: $id, layout: $layout) {
      journey {
        id
        layout
      }
      errors {
        code
        message
      }
    }
  }
`);
