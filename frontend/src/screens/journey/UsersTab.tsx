import { Anchor, Button, Group, SegmentedControl, Select, Stack, Table, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useState } from "react";
import { Link } from "react-router";
import { useMutation, useQuery } from "urql";
import { describeError } from "../../api/errors";
import { usePermissions } from "../../auth/session";
import { graphql } from "../../gql";
import type { EntryStatus, Period } from "../../gql/graphql";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { Empty, ErrorLine, Loading } from "../../ui/feedback";
import { formatTime } from "../../ui/format";
import { Pager } from "../../ui/Pager";
import { PERIODS } from "../../ui/periods";
import { StatusBadge } from "../../ui/StatusBadge";
import { StopEntryMutation } from "./queries";
import { RUNNING } from "./StepEntriesDrawer";
import { useSearchParam } from "../../ui/searchParams";

const ParticipantsQuery = graphql(`
  query Participants(
    $id: ID!
    $after: String
    $search: String
    $period: Period
    $status: EntryStatus
    $inControlGroup: Boolean
  ) {
    journey(id: $id) {
      id
      entries(
        first: 50
        after: $after
        search: $search
        period: $period
        status: $status
        inControlGroup: $inControlGroup
      ) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            status
            round
            inControlGroup
            enteredAt
            convertedAt
            stoppedAt
            stopReason
            currentStepId
            user {
              id
              externalId
              username
            }
          }
        }
      }
    }
  }
`);

const STATUSES = ["ACTIVE", "WAITING", "HALTED", "FROZEN", "COMPLETED", "STOPPED", "EXITED", "FAILED"];

/** The operations tab's participants: one row per entry, with its dates and a Stop button. */
export default function UsersTab({ journeyId }: { journeyId: string }) {
  const { canEdit } = usePermissions();
  const [params, setSearchParam] = useSearchParam();
  const [search, setSearch] = useState(params.get("search") ?? "");
  const [debounced] = useDebouncedValue(search, 300);
  const period = params.get("period") ?? "ALL";
  const status = params.get("status");
  const control = params.get("control") ?? "ALL";
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [{ data, fetching, error }] = useQuery({
    query: ParticipantsQuery,
    variables: {
      id: journeyId,
      after: cursors[cursors.length - 1],
      search: debounced || null,
      period: period === "ALL" ? null : (period as Period),
      status: (status as EntryStatus) || null,
      inControlGroup: control === "ALL" ? null : control === "YES",
    },
  });
  const [stopping, setStopping] = useState<{ id: string; who: string } | null>(null);
  const [stopError, setStopError] = useState<string | null>(null);
  const [stopState, stopEntry] = useMutation(StopEntryMutation);
  const setParam = (key: string, value: string | null) => {
    setSearchParam(key, value === "ALL" ? null : value);
    setCursors([null]);
  };
  const rows = data?.journey?.entries.edges.map((e) => e.node) ?? [];

  async function stop() {
    if (!stopping) return;
    const r = await stopEntry({ id: stopping.id, reason: "stopped by an operator" }, { additionalTypenames: ["Entry"] });
    const message = describeError(r.error, r.data?.stopEntry.errors);
    if (message) return setStopError(message);
    setStopping(null);
  }

  return (
    <Stack gap="xs">
      <Group align="flex-end" gap="sm">
        <TextInput
          label="Search by username or external id"
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setParam("search", e.currentTarget.value);
          }}
          w={280}
        />
        <Stack gap={2}>
          <Text size="xs" fw={500} id="entries-period">
            Entered in
          </Text>
          <SegmentedControl
            aria-labelledby="entries-period"
            value={period}
            onChange={(v) => setParam("period", v)}
            data={[{ value: "ALL", label: "All time" }, ...PERIODS]}
          />
        </Stack>
        <Select
          label="Status"
          placeholder="Any status"
          data={STATUSES}
          value={status}
          onChange={(v) => setParam("status", v)}
          clearable
          w={150}
        />
        <Select
          label="Control group"
          data={[
            { value: "ALL", label: "Both" },
            { value: "YES", label: "Yes" },
            { value: "NO", label: "No" },
          ]}
          value={control}
          onChange={(v) => setParam("control", v)}
          allowDeselect={false}
          w={110}
        />
      </Group>
      <ErrorLine message={describeError(error)} />
      {fetching && !data ? <Loading /> : null}
      {data && !rows.length ? <Empty>No entry matches these filters.</Empty> : null}
      {rows.length ? (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>User</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Step now</Table.Th>
              <Table.Th>Entered</Table.Th>
              <Table.Th>Converted</Table.Th>
              <Table.Th>Stopped</Table.Th>
              <Table.Th>Control group</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((e) => (
              <Table.Tr key={e.id} data-testid="participant">
                <Table.Td>
                  <Anchor component={Link} to={`/users/${encodeURIComponent(e.user.id)}`} size="sm">
                    {e.user.username ?? e.user.externalId}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {e.user.externalId} · round {e.round}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={e.status} />
                </Table.Td>
                <Table.Td>{e.currentStepId ?? "—"}</Table.Td>
                <Table.Td>{formatTime(e.enteredAt)}</Table.Td>
                <Table.Td>{formatTime(e.convertedAt)}</Table.Td>
                <Table.Td>
                  {formatTime(e.stoppedAt)}
                  {e.stopReason ? <Text size="xs">{e.stopReason}</Text> : null}
                </Table.Td>
                <Table.Td>{e.inControlGroup ? "Yes" : "No"}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button
                      component={Link}
                      variant="default"
                      to={`/journeys/${encodeURIComponent(journeyId)}/entries/${encodeURIComponent(e.id)}`}
                      aria-label={`Details of ${e.user.externalId}'s entry, round ${e.round}`}
                    >
                      Details
                    </Button>
                    {canEdit && RUNNING.has(e.status) ? (
                      <Button
                        color="red"
                        variant="light"
                        onClick={() => {
                          setStopError(null);
                          setStopping({ id: e.id, who: e.user.externalId });
                        }}
                        aria-label={`Stop ${e.user.externalId}'s entry`}
                      >
                        Stop
                      </Button>
                    ) : null}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      {data?.journey ? (
        <Pager
          total={data.journey.entries.totalCount}
          pageInfo={data.journey.entries.pageInfo}
          cursors={cursors}
          onChange={setCursors}
          label="entries"
        />
      ) : null}
      <ConfirmDialog
        opened={!!stopping}
        title="Stop this entry?"
        confirmLabel="Stop entry"
        danger
        busy={stopState.fetching}
        error={stopError}
        onConfirm={stop}
        onClose={() => setStopping(null)}
      >
        {stopping ? `${stopping.who}'s entry ends now (status STOPPED) and takes no further step.` : null}
      </ConfirmDialog>
    </Stack>
  );
}
