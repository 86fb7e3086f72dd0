import { Anchor, Button, Drawer, Group, Stack, Table, Text } from "@mantine/core";
import { useState } from "react";
import { Link } from "react-router";
import { useMutation, useQuery } from "urql";
import { describeError } from "../../api/errors";
import { usePermissions } from "../../auth/session";
import { graphql } from "../../gql";
import { stepsOf } from "../../graph/definition";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { Empty, ErrorLine, Loading } from "../../ui/feedback";
import { downloadJson, formatTime } from "../../ui/format";
import { StatusBadge } from "../../ui/StatusBadge";
import type { JourneyDetail } from "./GraphTab";
import { StopEntryMutation } from "./queries";

const StepEntriesQuery = graphql(`
  query StepEntries($id: ID!, $stepId: String!, $after: String) {
    journey(id: $id) {
      id
      entries(stepId: $stepId, first: 100, after: $after) {
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
            version
            inControlGroup
            enteredAt
            wakeAt
            currentStepId
            blockedReason
            payload
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

export const RUNNING = new Set(["ACTIVE", "WAITING", "HALTED", "FROZEN"]);

type EntryRow = NonNullable<
  NonNullable<import("../../gql/graphql").StepEntriesQuery["journey"]>["entries"]["edges"][number]["node"]
>;

export default function StepEntriesDrawer({
  journey,
  stepId,
  onClose,
}: {
  journey: JourneyDetail;
  stepId: string;
  onClose(): void;
}) {
  const { canEdit } = usePermissions();
  const [{ data, fetching, error }] = useQuery({
    query: StepEntriesQuery,
    variables: { id: journey.id, stepId },
    requestPolicy: "cache-and-network",
  });
  const [removing, setRemoving] = useState<EntryRow | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const [stopState, stopEntry] = useMutation(StopEntryMutation);
  const step = stepsOf(journey.definition).find((s) => s.id === stepId);
  const all = data?.journey?.entries.edges.map((e) => e.node) ?? [];
  // Entries that ended at this step are still "at" it; the running ones come first.
  const rows = [...all].sort((a, b) => Number(RUNNING.has(b.status)) - Number(RUNNING.has(a.status)));

  async function remove() {
    if (!removing) return;
    const r = await stopEntry({ id: removing.id, reason: "removed by an operator" }, { additionalTypenames: ["Entry"] });
    const message = describeError(r.error, r.data?.stopEntry.errors);
    if (message) return setRemoveError(message);
    setRemoving(null);
  }

  return (
    <Drawer
      opened
      onClose={onClose}
      position="right"
      size="xl"
      title={`Entries at ${step?.name ?? stepId}`}
      closeButtonProps={{ "aria-label": "Close the list of entries" }}
    >
      <Stack gap="xs">
        <ErrorLine message={describeError(error)} />
        {fetching && !data ? <Loading /> : null}
        {data && rows.length === 0 ? <Empty>No entry is at this step.</Empty> : null}
        {data ? (
          <Text size="sm" c="dimmed">
            {data.journey?.entries.totalCount ?? 0} entries have this step as their current one
            {data.journey?.entries.pageInfo.hasNextPage ? " (the first 100 shown)" : ""}.
          </Text>
        ) : null}
        {rows.length ? (
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>User</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Wakes at</Table.Th>
                <Table.Th>Entered</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((e) => (
                <Table.Tr key={e.id} data-testid="step-entry">
                  <Table.Td>
                    <Anchor component={Link} to={`/users/${encodeURIComponent(e.user.id)}`} size="sm">
                      {e.user.username ?? e.user.externalId}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {e.user.externalId} · round {e.round}
                      {e.inControlGroup ? " · control group" : ""}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={e.status} />
                    {e.blockedReason ? <Text size="xs">{e.blockedReason}</Text> : null}
                  </Table.Td>
                  <Table.Td>{formatTime(e.wakeAt)}</Table.Td>
                  <Table.Td>{formatTime(e.enteredAt)}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button
                        variant="default"
                        onClick={() => downloadJson(`entry-${e.user.externalId}-round-${e.round}.json`, entryFile(journey, e))}
                        aria-label={`Download the payload of ${e.user.externalId}'s entry`}
                      >
                        Payload
                      </Button>
                      <Button
                        component={Link}
                        variant="subtle"
                        to={`/journeys/${encodeURIComponent(journey.id)}/entries/${encodeURIComponent(e.id)}`}
                        aria-label={`Path of ${e.user.externalId}'s entry`}
                      >
                        Path
                      </Button>
                      {canEdit && RUNNING.has(e.status) ? (
                        <Button
                          color="red"
                          variant="light"
                          onClick={() => {
                            setRemoveError(null);
                            setRemoving(e);
                          }}
                          aria-label={`Remove ${e.user.externalId} from the journey`}
                        >
                          Remove
                        </Button>
                      ) : null}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
      </Stack>
      <ConfirmDialog
        opened={!!removing}
        title="Remove this entry?"
        confirmLabel="Remove"
        danger
        busy={stopState.fetching}
        error={removeError}
        onConfirm={remove}
        onClose={() => setRemoving(null)}
      >
        {removing ? `${removing.user.externalId}'s entry stops now (status STOPPED) and takes no further step.` : null}
      </ConfirmDialog>
    </Drawer>
  );
}

/** What the API holds for the entry, as a file an operator can attach to a ticket. */
function entryFile(journey: JourneyDetail, e: EntryRow) {
  return {
    journey: { id: journey.id, name: journey.name },
    entry: {
      id: e.id,
      status: e.status,
      round: e.round,
      version: e.version,
      currentStepId: e.currentStepId,
      enteredAt: e.enteredAt,
      wakeAt: e.wakeAt,
      inControlGroup: e.inControlGroup,
      blockedReason: e.blockedReason,
    },
    user: { id: e.user.id, externalId: e.user.externalId, username: e.user.username },
    payload: e.payload,
  };
}
