import { Graph, layout } from "@dagrejs/dagre";
import { linksOf, type Step } from "./definition";

export const NODE_WIDTH = 230;
export const NODE_HEIGHT = 80;
export const TRIGGER_ID = "__trigger";

/**
 * Top-to-bottom positions for the steps (and the trigger box above the start step).
 * goto edges are left out of the ranking: they jump to another track, often backwards,
 * and would otherwise pull that track out of its place.
 */
export function layoutSteps(
  steps: Step[],
  start: string | undefined,
  heightOf: (step: Step) => number = () => NODE_HEIGHT,
): Map<string, { x: number; y: number }> {
  const g = new Graph({ multigraph: true });
  g.setGraph({ rankdir: "TB", nodesep: 28, ranksep: 40, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(steps.map((s) => s.id));
  g.setNode(TRIGGER_ID, { width: NODE_WIDTH, height: 56 });
  const heights = new Map(steps.map((s) => [s.id, heightOf(s)]));
  for (const step of steps) g.setNode(step.id, { width: NODE_WIDTH, height: heights.get(step.id) ?? NODE_HEIGHT });
  if (start && ids.has(start)) g.setEdge(TRIGGER_ID, start, {}, "start");
  for (const step of steps) {
    for (const link of linksOf(step)) {
      if (!ids.has(link.target) || link.kind === "goto") continue;
      g.setEdge(step.id, link.target, { minlen: 1 }, link.handle);
    }
  }
  layout(g);
  const positions = new Map<string, { x: number; y: number }>();
  for (const id of g.nodes()) {
    const node = g.node(id);
    if (!node) continue;
    const height = id === TRIGGER_ID ? 56 : (heights.get(id) ?? NODE_HEIGHT);
    positions.set(id, { x: node.x - NODE_WIDTH / 2, y: node.y - height / 2 });
  }
  return positions;
}

type Point = { x: number; y: number };

function isPoint(value: unknown): value is Point {
  const p = value as Point | null;
  return !!p && typeof p === "object" && Number.isFinite(p.x) && Number.isFinite(p.y);
}

/**
 * The places an operator saved (`Journey.layout`: step id -> x, y) over the automatic
 * ones: a step the saved layout does not place (added since, or never saved) keeps its
 * automatic place.
 */
export function withSavedLayout(automatic: Map<string, Point>, saved: unknown): Map<string, Point> {
  const placed = new Map(automatic);
  if (!saved || typeof saved !== "object") return placed;
  for (const [id, point] of Object.entries(saved)) {
    if (placed.has(id) && isPoint(point)) placed.set(id, { x: point.x, y: point.y });
  }
  return placed;
}
