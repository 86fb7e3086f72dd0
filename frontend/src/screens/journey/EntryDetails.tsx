import { Alert, Anchor, Button, Grid, Group, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { lazy, Suspense, useMemo, useState } from "react";
import { Link, useParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { describeError } from "../../api/errors";
import { usePermissions } from "../../auth/session";
import { graphql } from "../../gql";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { ErrorLine, Loading } from "../../ui/feedback";
import { downloadJson, formatTime } from "../../ui/format";
import { StatusBadge } from "../../ui/StatusBadge";
import { StopEntryMutation } from "./queries";
import { RUNNING } from "./StepEntriesDrawer";

const JourneyGraph = lazy(() => import("../../graph/JourneyGraph").then((m) => ({ default: m.JourneyGraph })));

const EntryQuery = graphql(`
  query EntryDetails($id: ID!) {
    entry(id: $id) {
      id
      status
      round
      version
      inControlGroup
      enteredAt
      convertedAt
      stoppedAt
      stopReason
      currentStepId
      wakeAt
      blockedReason
      payload
      progress {
        name
        step
        reachedAt
      }
      user {
        id
        externalId
        username
      }
      journey {
        id
        versions {
          version
          definition
        }
      }
      steps {
        stepId
        kind
        name
        enteredAt
        leftAt
        outcome
        detail
      }
      communications {
        id
        channel
        status
        error
        queuedAt
        firstOpenAt
        firstClickAt
        resource {
          id
          name
        }
      }
      bonuses {
        id
        status
        error
        createdAt
        grantedAt
        template {
          id
          name
        }
      }
    }
  }
`);

/** One entry's path, step by step, in a table and over the graph, with why it is stuck. */
export default function EntryDetails() {
  const { entryId = "" } = useParams();
  const { canEdit } = usePermissions();
  const [{ data, fetching, error }] = useQuery({ query: EntryQuery, variables: { id: entryId } });
  const [confirming, setConfirming] = useState(false);
  const [stopError, setStopError] = useState<string | null>(null);
  const [stopState, stopEntry] = useMutation(StopEntryMutation);
  const entry = data?.entry;
  const path = useMemo(
    () =>
      entry
        ? { visited: new Set(entry.steps.filter((s) => s.kind !== "progress").map((s) => s.stepId)), current: entry.currentStepId }
        : undefined,
    [entry],
  );
  if (fetching && !data) return <Loading />;
  if (!entry) return <ErrorLine message={describeError(error) ?? "There is no entry with this id."} />;
  // The graph of the version this entry runs on, which may be older than the journey's.
  const definition = entry.journey.versions.find((v) => v.version === entry.version)?.definition;

  async function stop() {
    const r = await stopEntry({ id: entryId, reason: "stopped by an operator" }, { additionalTypenames: ["Entry"] });
    const message = describeError(r.error, r.data?.stopEntry.errors);
    if (message) return setStopError(message);
    setConfirming(false);
  }

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Group gap="sm">
          <Title order={3} size="h4">
            Entry of{" "}
            <Anchor component={Link} to={`/users/${encodeURIComponent(entry.user.id)}`}>
              {entry.user.username ?? entry.user.externalId}
            </Anchor>{" "}
            (round {entry.round}, version {entry.version})
          </Title>
          <StatusBadge status={entry.status} />
        </Group>
        <Group gap="xs">
          <Button variant="default" onClick={() => downloadJson(`entry-${entry.user.externalId}-round-${entry.round}.json`, entry)}>
            Download the entry
          </Button>
          {canEdit && RUNNING.has(entry.status) ? (
            <Button color="red" variant="light" onClick={() => { setStopError(null); setConfirming(true); }}>
              Stop this entry
            </Button>
          ) : null}
        </Group>
      </Group>
      {entry.blockedReason ? (
        <Alert color="yellow" title="Why it is not moving" data-testid="blocked-reason" styles={{ title: { color: "var(--mantine-color-dark-8)" } }}>
          {entry.blockedReason}
        </Alert>
      ) : null}
      <Grid>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="xs">
            <Paper withBorder p="xs">
              <Text size="sm">Entered {formatTime(entry.enteredAt)}</Text>
              <Text size="sm">Converted {formatTime(entry.convertedAt)}</Text>
              <Text size="sm">
                Ended {formatTime(entry.stoppedAt)}
                {entry.stopReason ? ` (${entry.stopReason})` : ""}
              </Text>
              <Text size="sm">Step now: {entry.currentStepId ?? "—"}; wakes {formatTime(entry.wakeAt)}</Text>
              <Text size="sm">
                Progress: {entry.progress.name} (reached {formatTime(entry.progress.reachedAt)})
              </Text>
              <Text size="sm">Control group: {entry.inControlGroup ? "yes" : "no"}</Text>
            </Paper>
            <Table striped aria-label="Steps taken">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Step</Table.Th>
                  <Table.Th>Outcome</Table.Th>
                  <Table.Th>When</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entry.steps.map((s, i) => (
                  <Table.Tr key={i} data-testid="entry-step">
                    <Table.Td>
                      {s.kind === "progress" ? "Progress status" : (s.name ?? s.stepId)}
                      <Text size="xs" c="dimmed">
                        {s.kind === "progress" ? "moved up the ladder" : s.kind}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {s.outcome}
                      {s.detail ? <Text size="xs">{s.detail}</Text> : null}
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs">{formatTime(s.enteredAt)}</Text>
                      {s.leftAt ? <Text size="xs">left {formatTime(s.leftAt)}</Text> : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {entry.communications.length ? (
              <Table aria-label="Messages of this entry">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Message</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Opened / clicked</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {entry.communications.map((c) => (
                    <Table.Tr key={c.id}>
                      <Table.Td>
                        {c.resource.name} ({c.channel})
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge status={c.status} />
                        {c.error ? <Text size="xs">{c.error}</Text> : null}
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs">{formatTime(c.firstOpenAt)}</Text>
                        <Text size="xs">{formatTime(c.firstClickAt)}</Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            ) : null}
            {entry.bonuses.length ? (
              <Text size="sm">
                Bonuses: {entry.bonuses.map((b) => `${b.template.name} (${b.status})`).join(", ")}
              </Text>
            ) : null}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Suspense fallback={<Loading label="Loading the graph" />}>
            <JourneyGraph definition={definition} path={path} height={520} />
          </Suspense>
        </Grid.Col>
      </Grid>
      <ConfirmDialog
        opened={confirming}
        title="Stop this entry?"
        confirmLabel="Stop entry"
        danger
        busy={stopState.fetching}
        error={stopError}
        onConfirm={stop}
        onClose={() => setConfirming(false)}
      >
        The entry ends now (status STOPPED) and takes no further step.
      </ConfirmDialog>
    </Stack>
  );
}
