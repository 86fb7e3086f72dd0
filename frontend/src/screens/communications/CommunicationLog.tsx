import { Anchor, Button, Group, Modal, Select, Stack, Table, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useState } from "react";
import { Link } from "react-router";
import { useQuery } from "urql";
import { describeError } from "../../api/errors";
import { graphql } from "../../gql";
import type { Channel, CommunicationLogQuery, DeliveryStatus, Period } from "../../gql/graphql";
import { Empty, ErrorLine, Loading } from "../../ui/feedback";
import { formatTime } from "../../ui/format";
import { Pager } from "../../ui/Pager";
import { PERIODS } from "../../ui/periods";
import { StatusBadge } from "../../ui/StatusBadge";
import { useSearchParam } from "../../ui/searchParams";

const CommunicationLogQueryDoc = graphql(`
  query CommunicationLog(
    $journeyId: ID
    $after: String
    $resourceName: String
    $channel: Channel
    $status: DeliveryStatus
    $period: Period
    $search: String
  ) {
    communications(
      first: 50
      after: $after
      journeyId: $journeyId
      resourceName: $resourceName
      channel: $channel
      status: $status
      period: $period
      search: $search
    ) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          channel
          status
          error
          queuedAt
          sentAt
          deliveredAt
          firstOpenAt
          machineOpened
          firstClickAt
          lastAction
          clickCount
          subject
          body
          resource {
            id
            name
            subject
            body
          }
          user {
            id
            externalId
            username
          }
          journey {
            id
            name
          }
        }
      }
    }
  }
`);

type Row = CommunicationLogQuery["communications"]["edges"][number]["node"];

export const CHANNELS = ["EMAIL", "SMS", "POPUP", "PUSH", "IVR"];
const STATUSES = ["QUEUED", "SENDING", "SENT", "DELIVERED", "FAILED", "BOUNCED", "SUPPRESSED"];

/** The communication log, for one journey or all: delivery status, first click, last action, the text. */
export function CommunicationLog({ journeyId }: { journeyId?: string }) {
  const [params, setSearchParam] = useSearchParam();
  const [resourceName, setResourceName] = useState(params.get("resource") ?? "");
  const [search, setSearch] = useState(params.get("user") ?? "");
  const [debouncedResource] = useDebouncedValue(resourceName, 300);
  const [debouncedSearch] = useDebouncedValue(search, 300);
  const channel = params.get("channel");
  const status = params.get("status");
  const period = params.get("period");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [reading, setReading] = useState<Row | null>(null);
  const [{ data, fetching, error }] = useQuery({
    query: CommunicationLogQueryDoc,
    variables: {
      journeyId: journeyId ?? null,
      after: cursors[cursors.length - 1],
      resourceName: debouncedResource || null,
      search: debouncedSearch || null,
      channel: (channel as Channel) || null,
      status: (status as DeliveryStatus) || null,
      period: (period as Period) || null,
    },
  });
  const setParam = (key: string, value: string | null) => {
    setSearchParam(key, value);
    setCursors([null]);
  };
  const rows = data?.communications.edges.map((e) => e.node) ?? [];

  return (
    <Stack gap="xs">
      <Group align="flex-end" gap="sm">
        <TextInput
          label="Resource name"
          value={resourceName}
          onChange={(e) => {
            setResourceName(e.currentTarget.value);
            setParam("resource", e.currentTarget.value || null);
          }}
          w={200}
        />
        <Select
          label="Channel"
          placeholder="Any channel"
          data={CHANNELS}
          value={channel}
          onChange={(v) => setParam("channel", v)}
          clearable
          w={140}
        />
        <Select
          label="Delivery status"
          placeholder="Any status"
          data={STATUSES}
          value={status}
          onChange={(v) => setParam("status", v)}
          clearable
          w={150}
        />
        <Select
          label="Queued in"
          placeholder="All time"
          data={PERIODS}
          value={period}
          onChange={(v) => setParam("period", v)}
          clearable
          w={120}
        />
        <TextInput
          label="User"
          placeholder="username, external id, email"
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setParam("user", e.currentTarget.value || null);
          }}
          w={200}
        />
      </Group>
      <ErrorLine message={describeError(error)} />
      {fetching && !data ? <Loading /> : null}
      {data && !rows.length ? <Empty>No message matches these filters.</Empty> : null}
      {rows.length ? (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Queued</Table.Th>
              <Table.Th>User</Table.Th>
              <Table.Th>Resource</Table.Th>
              {journeyId ? null : <Table.Th>Journey</Table.Th>}
              <Table.Th>Status</Table.Th>
              <Table.Th>First open / click</Table.Th>
              <Table.Th>Last action</Table.Th>
              <Table.Th>Text</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((c) => (
              <Table.Tr key={c.id} data-testid="communication">
                <Table.Td>{formatTime(c.queuedAt)}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/users/${encodeURIComponent(c.user.id)}`} size="sm">
                    {c.user.username ?? c.user.externalId}
                  </Anchor>
                </Table.Td>
                <Table.Td maw={220}>
                  {c.resource.name}
                  <Text size="xs" c="dimmed">
                    {c.channel}
                  </Text>
                </Table.Td>
                {journeyId ? null : (
                  <Table.Td>
                    {c.journey ? (
                      <Anchor component={Link} to={`/journeys/${encodeURIComponent(c.journey.id)}`} size="sm">
                        {c.journey.name}
                      </Anchor>
                    ) : (
                      "—"
                    )}
                  </Table.Td>
                )}
                <Table.Td>
                  <StatusBadge status={c.status} />
                  {c.error ? <Text size="xs">{c.error}</Text> : null}
                </Table.Td>
                <Table.Td>
                  <Text size="xs">
                    {formatTime(c.firstOpenAt)}
                    {c.machineOpened ? " (mail proxy)" : ""}
                  </Text>
                  <Text size="xs">
                    {formatTime(c.firstClickAt)}
                    {c.clickCount > 1 ? ` (${c.clickCount} clicks)` : ""}
                  </Text>
                </Table.Td>
                <Table.Td style={{ maxWidth: 220, overflowWrap: "anywhere" }}>{c.lastAction ?? "—"}</Table.Td>
                <Table.Td>
                  <Button variant="subtle" onClick={() => setReading(c)} aria-label={`Read the message to ${c.user.externalId}`}>
                    Read
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      {data ? (
        <Pager
          total={data.communications.totalCount}
          pageInfo={data.communications.pageInfo}
          cursors={cursors}
          onChange={setCursors}
          label="messages"
        />
      ) : null}
      <Modal opened={!!reading} onClose={() => setReading(null)} title="Message" size="lg">
        {reading ? <MessageText row={reading} /> : null}
      </Modal>
    </Stack>
  );
}

/** The text as it was sent to this user; before rendering, the resource's template. */
function MessageText({ row }: { row: Row }) {
  const rendered = row.body !== null && row.body !== undefined;
  const subject = rendered ? row.subject : row.resource.subject;
  return (
    <Stack gap="xs">
      <Text size="sm">
        {row.channel} to {row.user.username ?? row.user.externalId}, {row.status.toLowerCase()}
        {row.error ? ` (${row.error})` : ""}
      </Text>
      {rendered ? null : (
        <Text size="xs" c="dimmed">
          Not rendered yet; the resource's template:
        </Text>
      )}
      {subject ? (
        <Text size="sm" fw={600} data-testid="message-subject">
          {subject}
        </Text>
      ) : null}
      <Text size="sm" style={{ whiteSpace: "pre-wrap" }} data-testid="message-text">
        {rendered ? row.body : row.resource.body}
      </Text>
    </Stack>
  );
}
