import { graphql } from "../../gql";

export const JourneyQuery = graphql(`
  query Journey($id: ID!) {
    journey(id: $id) {
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
      layout
      problems {
        stepId
        severity
        message
      }
      createdAt
      updatedAt
      activatedAt
      nextRunAt
    }
  }
`);

export const LiveStatsQuery = graphql(`
  query JourneyLiveStats($id: ID!) {
    journey(id: $id) {
      id
      liveStats {
        stepId
        count
      }
    }
  }
`);

export const LiveStatsSubscription = graphql(`
  subscription JourneyLiveStatsPush($id: ID!) {
    journeyLiveStats(journeyId: $id) {
      stepId
      count
    }
  }
`);

export const StopEntryMutation = graphql(`
  mutation StopEntry($id: ID!, $reason: String) {
    stopEntry(id: $id, reason: $reason) {
      entry {
        id
        status
        stoppedAt
        stopReason
      }
      errors {
        code
        message
      }
    }
  }
`);
