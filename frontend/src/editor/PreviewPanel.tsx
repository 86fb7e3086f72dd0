import { Badge, Button, Group, Stack, Table, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import { useClient } from "urql";
import { describeError } from "../api/errors";
import type { PreviewJourneyQuery } from "../gql/graphql";
import { ErrorLine } from "../ui/feedback";
import type { Draft } from "./history";
import { JsonField } from "./StepForm";
import { PreviewQuery } from "./queries";

export type PreviewPath = { visited: ReadonlySet<string>; current?: string | null };
type Preview = PreviewJourneyQuery["previewJourney"];

const OUTCOME_COLOR: Record<string, string> = {
  COMPLETED: "teal",
  WAITING: "blue",
  EXITED: "gray",
  HALTED: "red",
  FAILED: "red",
  REFUSED: "orange",
};

/** "Test with a user": the draft run for one user and event, writing nothing; the path drawn on the canvas. */
export function PreviewPanel({ journeyId, draft, onPath }: { journeyId: string; draft: Draft; onPath: (p: PreviewPath | null) => void }) {
  const client = useClient();
  const trigger = (draft.definition.trigger ?? {}) as { kind?: string; event?: string };
  const [externalId, setExternalId] = useState("");
  const [eventName, setEventName] = useState(trigger.event ?? "");
  const [properties, setProperties] = useState<unknown>(undefined);
  const [result, setResult] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  const run = async () => {
    setRunning(true);
    setError(null);
    const name = eventName.trim();
    const r = await client
      .query(
        PreviewQuery,
        {
          definition: draft.definition,
          externalId: externalId.trim(),
          event: name ? { eventId: `preview-${Date.now()}`, externalId: externalId.trim(), name, properties: properties ?? {} } : null,
          journeyId,
          reentryMode: draft.reentryMode as never,
          controlGroupPercent: draft.controlGroupPercent,
        },
        { requestPolicy: "network-only" },
      )
      .toPromise();
    setRunning(false);
    const message = describeError(r.error);
    if (message || !r.data) {
      setError(message ?? "No answer");
      setResult(null);
      onPath(null);
      return;
    }
    const preview = r.data.previewJourney;
    setResult(preview);
    // The step it stops at is on the path too (a wait logs nothing until it is over).
    const visited = new Set([...preview.steps.map((s) => s.stepId), ...(preview.currentStepId ? [preview.currentStepId] : [])]);
    onPath({ visited, current: preview.currentStepId });
  };

  return (
    <Stack gap="xs" data-testid="preview-panel">
      <Text size="xs">
        Runs this draft (saved or not) for one user as a real entry would, in its first pass, and writes nothing: no
        entry, message or bonus. The re-entry mode counts the user's entries in this journey.
      </Text>
      <TextInput label="User (external id)" size="xs" value={externalId} onChange={(e) => setExternalId(e.currentTarget.value)} />
      <TextInput
        label={trigger.kind === "EVENT" ? "Event that captures the user" : "Event (optional)"}
        size="xs"
        value={eventName}
        onChange={(e) => setEventName(e.currentTarget.value)}
      />
      <JsonField label="Event properties (JSON)" value={properties} onChange={setProperties} />
      <Group gap="xs">
        <Button size="compact-sm" onClick={run} loading={running} disabled={!externalId.trim()}>
          Show the path
        </Button>
        {result ? (
          <Button
            size="compact-sm"
            variant="subtle"
            onClick={() => {
              setResult(null);
              onPath(null);
            }}
          >
            Clear
          </Button>
        ) : null}
      </Group>
      <ErrorLine message={error} />
      {result ? (
        <Stack gap={4} data-testid="preview-result">
          <Group gap="xs">
            <Badge color={OUTCOME_COLOR[result.outcome] ?? "gray"} data-testid="preview-outcome">
              {result.outcome}
            </Badge>
            {result.inControlGroup ? <Badge color="grape">control group</Badge> : null}
          </Group>
          {result.blockedReason ? <Text size="xs">{result.blockedReason}</Text> : null}
          {result.steps.length ? (
            <Table withRowBorders={false} verticalSpacing={2} fz="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Step</Table.Th>
                  <Table.Th>Outcome</Table.Th>
                  <Table.Th>Detail</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.steps.map((s, i) => (
                  <Table.Tr key={i} data-testid="preview-step">
                    <Table.Td>{s.stepId}</Table.Td>
                    <Table.Td>{s.outcome}</Table.Td>
                    <Table.Td>{s.detail ?? ""}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : null}
          {result.currentStepId ? (
            <Text size="xs">
              It would then be at <b>{result.currentStepId}</b> (outlined on the canvas).
            </Text>
          ) : null}
        </Stack>
      ) : null}
    </Stack>
  );
}
