import "@xyflow/react/dist/style.css";
import { Background, Controls, MarkerType, ReactFlow, type Edge } from "@xyflow/react";
import { useMemo } from "react";
import { isConfigured, linksOf, outputsOf, stepsOf, summaryOf, type Definition, type Step } from "./definition";
import { layoutSteps, NODE_HEIGHT, TRIGGER_ID, withSavedLayout } from "./layout";
import { StepNode, TriggerNode, type StepNodeType, type TriggerNodeType } from "./StepNode";

export type GraphProblem = { stepId?: string | null; severity: string; message: string };

export type JourneyGraphProps = {
  definition: unknown;
  /** The places the operator saved in the editor (`Journey.layout`); laid out automatically when absent. */
  layout?: unknown;
  problems?: readonly GraphProblem[];
  /** Entries at each step now (live counts); no badges when absent. */
  counts?: ReadonlyMap<string, number>;
  onCountClick?: (stepId: string) => void;
  /** An entry's path: the steps it went through and the one it is at. */
  path?: { visited: ReadonlySet<string>; current?: string | null };
  height?: number | string;
};

const nodeTypes = { step: StepNode, trigger: TriggerNode };

const EDGE_STYLE = {
  next: { stroke: "#495057" },
  branch: { stroke: "#495057" },
  timeout: { stroke: "#e8590c", strokeDasharray: "6 4" },
  goto: { stroke: "#7048e8", strokeDasharray: "2 4" },
} as const;

function triggerText(definition: Definition): string {
  const t = definition.trigger;
  if (!t?.kind) return "No trigger";
  if (t.kind === "EVENT") return `On event “${t.event ?? "?"}”`;
  if (t.kind === "SCHEDULED_SEGMENT") return `Segment, ${t.schedule?.cron ?? "no schedule"} ${t.schedule?.timezone ?? ""}`;
  return "Entered through the API";
}

type FlowNode = StepNodeType | TriggerNodeType;

// What a step's box needs beyond its title and summary: a line saying it is not
// configured, and two lines or so for each problem written on it.
function heightOf(step: Step, problems: GraphProblem[]): number {
  const lines = (isConfigured(step) ? 0 : 1) + problems.reduce((n, p) => n + Math.ceil(p.message.length / 38), 0);
  return NODE_HEIGHT + lines * 15;
}

/** Outputs left to right in the order of their targets on the graph, so branches do not cross. */
function orderedOutputs(step: Step, positions: Map<string, { x: number; y: number }>) {
  const targets = new Map(linksOf(step).map((l) => [l.handle, l.target]));
  const x = (handle: string) => positions.get(targets.get(handle) ?? "")?.x ?? Number.POSITIVE_INFINITY;
  return outputsOf(step)
    .map((o, i) => ({ o, i }))
    .sort((a, b) => x(a.o.handle) - x(b.o.handle) || a.i - b.i)
    .map(({ o }) => o);
}

/** The journey's steps as a graph; read-only here, the editor builds on the same pieces. */
export function buildFlow(props: JourneyGraphProps): { nodes: FlowNode[]; edges: Edge[] } {
  const definition = (props.definition ?? {}) as Definition;
  const steps = stepsOf(definition);
  const ids = new Set(steps.map((s) => s.id));
  const problemsByStep = new Map<string, GraphProblem[]>();
  for (const p of props.problems ?? []) {
    if (!p.stepId) continue;
    problemsByStep.set(p.stepId, [...(problemsByStep.get(p.stepId) ?? []), p]);
  }
  const automatic = layoutSteps(steps, definition.start, (step) => heightOf(step, problemsByStep.get(step.id) ?? []));
  const positions = withSavedLayout(automatic, props.layout);
  const nodes: FlowNode[] = [
    {
      id: TRIGGER_ID,
      type: "trigger",
      position: positions.get(TRIGGER_ID) ?? { x: 0, y: 0 },
      data: { text: triggerText(definition) },
    },
  ];
  for (const step of steps) {
    nodes.push({
      id: step.id,
      type: "step",
      position: positions.get(step.id) ?? { x: 0, y: 0 },
      data: {
        step,
        summary: summaryOf(step),
        configured: isConfigured(step),
        problems: problemsByStep.get(step.id) ?? [],
        outputs: orderedOutputs(step, positions),
        count: props.counts ? (props.counts.get(step.id) ?? 0) : undefined,
        onCountClick: props.onCountClick,
        onPath: props.path?.visited.has(step.id),
        current: props.path?.current === step.id,
      },
    });
  }
  const edges: Edge[] = [];
  if (definition.start && ids.has(definition.start)) {
    edges.push({ id: "start", source: TRIGGER_ID, target: definition.start, markerEnd: { type: MarkerType.ArrowClosed } });
  }
  for (const step of steps) {
    for (const link of linksOf(step)) {
      if (!ids.has(link.target)) continue;
      const walked = props.path?.visited.has(step.id) && props.path.visited.has(link.target);
      edges.push({
        id: `${step.id}:${link.handle}`,
        source: step.id,
        sourceHandle: link.handle,
        target: link.target,
        // The node labels its outputs; a split's edges also carry their share.
        label: step.kind === "split" || link.kind === "goto" ? link.label : undefined,
        type: link.kind === "goto" ? "default" : "smoothstep",
        style: { ...EDGE_STYLE[link.kind], strokeWidth: walked ? 3 : 1.5 },
        labelStyle: { fontSize: 11, fill: "#212529" },
        labelBgStyle: { fill: "#fff" },
        markerEnd: { type: MarkerType.ArrowClosed, color: EDGE_STYLE[link.kind].stroke },
        data: { kind: link.kind },
      });
    }
  }
  return { nodes, edges };
}

export function JourneyGraph(props: JourneyGraphProps) {
  const { definition, layout, problems, counts, onCountClick, path } = props;
  const { nodes, edges } = useMemo(
    () => buildFlow({ definition, layout, problems, counts, onCountClick, path }),
    [definition, layout, problems, counts, onCountClick, path],
  );
  return (
    <div style={{ height: props.height ?? 560, border: "1px solid #dee2e6", borderRadius: 6 }} data-testid="journey-graph">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        nodesFocusable={false}
        edgesFocusable={false}
        fitView
        fitViewOptions={{ padding: 0.08, maxZoom: 1 }}
        minZoom={0.2}
      >
        <Background gap={16} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
