import { Button, Code, Grid, Stack, Table, Text } from "@mantine/core";
import { lazy, Suspense, useState } from "react";
import { useQuery } from "urql";
import { describeError } from "../../api/errors";
import { graphql } from "../../gql";
import { ErrorLine, Loading } from "../../ui/feedback";
import { formatTime } from "../../ui/format";

const JourneyGraph = lazy(() => import("../../graph/JourneyGraph").then((m) => ({ default: m.JourneyGraph })));

const VersionsQuery = graphql(`
  query JourneyVersions($id: ID!) {
    journey(id: $id) {
      id
      version
      versions {
        version
        definition
        publishedAt
        publishedBy
      }
    }
  }
`);

/** Every published version, any of them viewable as a graph and as its document. */
export default function VersionsTab({ journeyId }: { journeyId: string }) {
  const [{ data, fetching, error }] = useQuery({ query: VersionsQuery, variables: { id: journeyId } });
  const [chosen, setChosen] = useState<number | null>(null);
  if (fetching && !data) return <Loading />;
  const versions = [...(data?.journey?.versions ?? [])].sort((a, b) => b.version - a.version);
  const shown = versions.find((v) => v.version === (chosen ?? data?.journey?.version)) ?? versions[0];
  return (
    <Stack gap="xs">
      <ErrorLine message={describeError(error)} />
      <Grid>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Version</Table.Th>
                <Table.Th>Published</Table.Th>
                <Table.Th>By</Table.Th>
                <Table.Th>View</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {versions.map((v) => (
                <Table.Tr key={v.version} bg={v.version === shown?.version ? "indigo.0" : undefined}>
                  <Table.Td>{v.version}</Table.Td>
                  <Table.Td>{v.publishedAt ? formatTime(v.publishedAt) : "draft"}</Table.Td>
                  <Table.Td>{v.publishedBy ?? "—"}</Table.Td>
                  <Table.Td>
                    <Button variant="subtle" onClick={() => setChosen(v.version)} aria-label={`View version ${v.version}`}>
                      View
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          {shown ? (
            <Stack gap="xs">
              <Text size="sm" fw={600}>
                Version {shown.version}
              </Text>
              <Suspense fallback={<Loading label="Loading the graph" />}>
                <JourneyGraph definition={shown.definition} height={420} />
              </Suspense>
              <Text size="sm" fw={600}>
                Its document
              </Text>
              <Code block tabIndex={0} aria-label={`Document of version ${shown.version}`} style={{ maxHeight: 260, overflow: "auto" }}>
                {JSON.stringify(shown.definition, null, 2)}
              </Code>
            </Stack>
          ) : null}
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
