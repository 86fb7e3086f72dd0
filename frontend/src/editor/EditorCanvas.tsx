import "@xyflow/react/dist/style.css";
import {
  applyNodeChanges,
  Background,
  Controls,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, useState } from "react";
import { buildFlow, type GraphProblem } from "../graph/JourneyGraph";
import { linksOf, outputsOf, type Definition, type Step } from "../graph/definition";
import { TRIGGER_ID } from "../graph/layout";
import { StepNode, TriggerNode, type StepNodeType, type TriggerNodeType } from "../graph/StepNode";
import type { Positions } from "./history";

type FlowNode = StepNodeType | TriggerNodeType;
const nodeTypes = { step: StepNode, trigger: TriggerNode };
export const DRAG_KIND = "application/x-questline-step-kind";

export type CanvasProps = {
  definition: Definition;
  positions: Positions;
  problems: readonly GraphProblem[];
  path?: { visited: ReadonlySet<string>; current?: string | null };
  selected: ReadonlySet<string>;
  readOnly: boolean;
  /** Changes when the view should fit the journey again (an automatic layout). */
  fitKey: number;
  onSelect: (ids: Set<string>, edgeIds: Set<string>) => void;
  onLink: (source: string, handle: string | null, target: string | null) => void;
  onRelink: (old: Edge, connection: Connection) => void;
  onDeleteSelection: (stepIds: string[], edges: Edge[]) => void;
  onMove: (id: string, position: { x: number; y: number }, dragging: boolean) => void;
  onDropKind: (kind: string, position: { x: number; y: number }) => void;
};

/** A step's outputs left to right in the order of their targets on the canvas, so branches do not cross. */
function placedOutputs(step: Step, positions: Positions) {
  const targets = new Map(linksOf(step).map((l) => [l.handle, l.target]));
  const x = (handle: string) => positions[targets.get(handle) ?? ""]?.x ?? Number.POSITIVE_INFINITY;
  return outputsOf(step)
    .map((o, i) => ({ o, i }))
    .sort((a, b) => x(a.o.handle) - x(b.o.handle) || a.i - b.i)
    .map(({ o }) => o);
}

/** The journey drawn editable: the same nodes as the read-only graph, with connections. */
export function EditorCanvas(props: CanvasProps) {
  const { definition, positions, problems, path, selected, readOnly } = props;
  const flow = useMemo(() => buildFlow({ definition, problems, path }), [definition, problems, path]);
  const [nodes, setNodes] = useState<FlowNode[]>(() =>
    flow.nodes.map((n) => ({ ...n, position: positions[n.id] ?? n.position }) as FlowNode),
  );
  const [selectedEdges, setSelectedEdges] = useState<Set<string>>(new Set());
  const { screenToFlowPosition, fitView } = useReactFlow();

  // The whole journey in view when a step comes or goes, and after an automatic layout.
  const count = flow.nodes.length;
  useEffect(() => {
    const timer = window.setTimeout(() => fitView({ padding: 0.1, maxZoom: 1 }), 60);
    return () => window.clearTimeout(timer);
  }, [count, props.fitKey, fitView]);

  // Rebuilt from the document, keeping what React Flow measured of each node.
  useEffect(() => {
    setNodes((previous) => {
      const old = new Map(previous.map((n) => [n.id, n]));
      return flow.nodes.map((n) => {
        const was = old.get(n.id);
        const position = positions[n.id] ?? was?.position ?? n.position;
        const data = n.type === "step" ? { ...n.data, outputs: placedOutputs(n.data.step, positions) } : n.data;
        return { ...n, data, position, measured: was?.measured, selected: selected.has(n.id) } as FlowNode;
      });
    });
  }, [flow.nodes, positions, selected]);

  const edges = useMemo(
    () => flow.edges.map((e) => ({ ...e, selected: selectedEdges.has(e.id), reconnectable: !readOnly })),
    [flow.edges, selectedEdges, readOnly],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const kept = changes.filter((c) => c.type !== "remove");
      setNodes((ns) => applyNodeChanges(kept, ns));
      for (const c of kept) {
        if (c.type === "position" && c.position) props.onMove(c.id, c.position, !!c.dragging);
        if (c.type === "position" && !c.position && c.dragging === false) props.onMove(c.id, positions[c.id], false);
      }
      if (kept.some((c) => c.type === "select")) {
        const now = new Set(selected);
        for (const c of kept) if (c.type === "select") (c.selected ? now.add(c.id) : now.delete(c.id));
        now.delete(TRIGGER_ID);
        props.onSelect(now, selectedEdges);
      }
    },
    [props, positions, selected, selectedEdges],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const now = new Set(selectedEdges);
      let touched = false;
      for (const c of changes) {
        if (c.type === "select") {
          touched = true;
          if (c.selected) now.add(c.id);
          else now.delete(c.id);
        }
      }
      if (touched) {
        setSelectedEdges(now);
        props.onSelect(new Set(selected), now);
      }
    },
    [props, selected, selectedEdges],
  );

  return (
    <div
      style={{ height: "100%", minHeight: 480 }}
      data-testid="editor-canvas"
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(DRAG_KIND)) {
          e.preventDefault();
          e.dataTransfer.dropEffect = "copy";
        }
      }}
      onDrop={(e) => {
        const kind = e.dataTransfer.getData(DRAG_KIND);
        if (!kind) return;
        e.preventDefault();
        props.onDropKind(kind, screenToFlowPosition({ x: e.clientX, y: e.clientY }));
      }}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={(c) => props.onLink(c.source, c.sourceHandle ?? null, c.target)}
        onReconnect={(old, c) => props.onRelink(old, c)}
        onDelete={({ nodes: gone, edges: cut }) =>
          props.onDeleteSelection(
            gone.map((n) => n.id).filter((id) => id !== TRIGGER_ID),
            cut,
          )
        }
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        edgesReconnectable={!readOnly}
        deleteKeyCode={readOnly ? null : ["Delete", "Backspace"]}
        multiSelectionKeyCode={["Shift", "Meta", "Control"]}
        fitView
        fitViewOptions={{ padding: 0.1, maxZoom: 1 }}
        minZoom={0.2}
      >
        <Background gap={16} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
