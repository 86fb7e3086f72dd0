import { Group, List, Paper, Stack, Text } from "@mantine/core";
import { lazy, Suspense, useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import { useQuery, useSubscription } from "urql";
import { describeError } from "../../api/errors";
import type { JourneyQuery as JourneyQueryResult } from "../../gql/graphql";
import { ErrorLine, Loading } from "../../ui/feedback";
import { LiveStatsQuery, LiveStatsSubscription } from "./queries";

const JourneyGraph = lazy(() => import("../../graph/JourneyGraph").then((m) => ({ default: m.JourneyGraph })));
const StepEntriesDrawer = lazy(() => import("./StepEntriesDrawer"));

export type JourneyDetail = NonNullable<JourneyQueryResult["journey"]>;

type Count = { stepId: string; count: number };

/** Entries at each step now: the query's answer, then every push of the subscription. */
export function useLiveCounts(journeyId: string) {
  const [{ data, error }] = useQuery({
    query: LiveStatsQuery,
    variables: { id: journeyId },
    requestPolicy: "network-only",
  });
  const [{ data: pushed, error: pushError }] = useSubscription<{ journeyLiveStats: Count[] }, Count[] | undefined, { id: string }>(
    { query: LiveStatsSubscription, variables: { id: journeyId } },
    (_previous, response) => response.journeyLiveStats,
  );
  const rows = pushed ?? data?.journey?.liveStats;
  const counts = useMemo(() => (rows ? new Map(rows.map((r) => [r.stepId, r.count])) : undefined), [rows]);
  return { counts, error: describeError(error ?? pushError), live: !!pushed };
}

export function GraphTab({ journey }: { journey: JourneyDetail }) {
  const [params, setParams] = useSearchParams();
  const { counts, error, live } = useLiveCounts(journey.id);
  const openStep = params.get("step");
  const onCountClick = useCallback(
    (stepId: string) => setParams((p) => {
      const next = new URLSearchParams(p);
      next.set("step", stepId);
      return next;
    }),
    [setParams],
  );
  const journeyProblems = journey.problems.filter((p) => !p.stepId);
  const total = counts ? [...counts.values()].reduce((a, b) => a + b, 0) : 0;

  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text size="sm">
          The number above each step is how many entries are there now
          {live ? " (live)" : ""}: {total.toLocaleString("en-GB")} in all. Click it to list them.
        </Text>
        <Legend />
      </Group>
      <ErrorLine message={error} />
      {journeyProblems.length ? (
        <Paper withBorder p="xs">
          <Text size="sm" fw={600}>
            Problems of the journey as a whole
          </Text>
          <List size="sm">
            {journeyProblems.map((p, i) => (
              <List.Item key={i}>
                {p.severity}: {p.message}
              </List.Item>
            ))}
          </List>
        </Paper>
      ) : null}
      <Suspense fallback={<Loading label="Loading the graph" />}>
        <JourneyGraph
          definition={journey.definition}
          layout={journey.layout}
          problems={journey.problems}
          counts={counts}
          onCountClick={onCountClick}
          height="max(480px, calc(100vh - 236px))"
        />
      </Suspense>
      <Suspense fallback={null}>
        {openStep ? (
          <StepEntriesDrawer
            journey={journey}
            stepId={openStep}
            onClose={() =>
              setParams((p) => {
                const next = new URLSearchParams(p);
                next.delete("step");
                return next;
              })
            }
          />
        ) : null}
      </Suspense>
    </Stack>
  );
}

function Legend() {
  const item = (style: React.CSSProperties, text: string) => (
    <Group gap={4}>
      <span aria-hidden style={{ display: "inline-block", width: 22, height: 0, ...style }} />
      <Text size="xs">{text}</Text>
    </Group>
  );
  return (
    <Group gap="md" aria-label="Legend">
      {item({ borderTop: "2px solid #495057" }, "next")}
      {item({ borderTop: "2px dashed #e8590c" }, "timeout")}
      {item({ borderTop: "2px dotted #7048e8" }, "goto")}
      {item({ border: "2px dotted #c92a2a", height: 10 }, "not configured")}
    </Group>
  );
}
