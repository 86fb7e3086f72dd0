import { Stack, Table, Text } from "@mantine/core";
import { useQuery } from "urql";
import { describeError } from "../../api/errors";
import { graphql } from "../../gql";
import { Empty, ErrorLine, Loading } from "../../ui/feedback";
import { formatNumber, formatTime } from "../../ui/format";

const SegmentRunsQuery = graphql(`
  query SegmentRuns($id: ID!) {
    journey(id: $id) {
      id
      nextRunAt
      segmentRuns(first: 50) {
        scheduledFor
        startedAt
        finishedAt
        matched
        selected
        entered
        refused
        error
      }
    }
  }
`);

/** A scheduled segment's runs, newest first: who matched, who was drawn, who entered. */
export default function SegmentRunsTab({ journeyId }: { journeyId: string }) {
  const [{ data, fetching, error }] = useQuery({ query: SegmentRunsQuery, variables: { id: journeyId } });
  if (fetching && !data) return <Loading />;
  const runs = data?.journey?.segmentRuns ?? [];
  return (
    <Stack gap="xs">
      <ErrorLine message={describeError(error)} />
      <Text size="sm">Next run: {formatTime(data?.journey?.nextRunAt)}</Text>
      {runs.length ? (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Scheduled for</Table.Th>
              <Table.Th>Started</Table.Th>
              <Table.Th>Finished</Table.Th>
              <Table.Th ta="right">Matched</Table.Th>
              <Table.Th ta="right">Drawn</Table.Th>
              <Table.Th ta="right">Entered</Table.Th>
              <Table.Th ta="right">Refused</Table.Th>
              <Table.Th>Error</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {runs.map((r) => (
              <Table.Tr key={r.scheduledFor}>
                <Table.Td>{formatTime(r.scheduledFor)}</Table.Td>
                <Table.Td>{formatTime(r.startedAt)}</Table.Td>
                <Table.Td>{formatTime(r.finishedAt)}</Table.Td>
                <Table.Td ta="right">{formatNumber(r.matched)}</Table.Td>
                <Table.Td ta="right">{formatNumber(r.selected)}</Table.Td>
                <Table.Td ta="right">{formatNumber(r.entered)}</Table.Td>
                <Table.Td ta="right">{formatNumber(r.refused)}</Table.Td>
                <Table.Td>{r.error ?? "—"}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Empty>The segment has not run yet.</Empty>
      )}
    </Stack>
  );
}
