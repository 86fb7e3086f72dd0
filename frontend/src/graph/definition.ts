// The journey-definition document as the graph reads it. Kept apart from React so the
// editor can map edits back onto the document with the same rules.

export type Step = {
  id: string;
  kind: string;
  name?: string;
  configured?: boolean;
  next?: string;
  [field: string]: unknown;
};

export type Definition = {
  trigger?: { kind?: string; event?: string; schedule?: { cron?: string; timezone?: string } };
  start?: string;
  steps?: Step[];
  [field: string]: unknown;
};

export const KINDS = [
  "send",
  "wait",
  "wait_for_event",
  "condition",
  "split",
  "bonus",
  "points",
  "set_status",
  "update_profile",
  "webhook",
  "goto",
  "exit",
] as const;

// The fields a step of each kind needs to run (as the server's validation has them).
const REQUIRED: Record<string, string[]> = {
  send: ["resource"],
  wait: [],
  wait_for_event: ["event"],
  condition: ["where"],
  split: ["branches"],
  bonus: ["template"],
  points: ["amount"],
  set_status: ["status"],
  update_profile: ["set"],
  webhook: ["url"],
  goto: ["to"],
  exit: [],
};

function blank(value: unknown): boolean {
  if (value === null || value === undefined || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && Object.keys(value as object).length === 0;
}

export function isConfigured(step: Step): boolean {
  if (step.configured === false) return false;
  if (step.kind === "wait") return step.seconds != null || step.until != null;
  return (REQUIRED[step.kind] ?? []).every((field) => !blank(step[field]));
}

/** One outgoing link of a step: which field holds it (the handle id) and its label. */
export type Link = { handle: string; target: string; label?: string; kind: "next" | "branch" | "timeout" | "goto" };

export function linksOf(step: Step): Link[] {
  const links: Link[] = [];
  const add = (handle: string, target: unknown, kind: Link["kind"], label?: string) => {
    if (typeof target === "string" && target) links.push({ handle, target, kind, label });
  };
  switch (step.kind) {
    case "condition":
      add("yes", step.yes, "branch", "yes");
      add("no", step.no, "branch", "no");
      break;
    case "split":
      (Array.isArray(step.branches) ? step.branches : []).forEach((b: { name?: string; percent?: number; next?: string }, i) =>
        add(`branch:${i}`, b?.next, "branch", `${b?.name ?? `branch ${i + 1}`} ${b?.percent ?? "?"}%`),
      );
      break;
    case "wait_for_event":
      add("next", step.next, "next", "event");
      add("timeoutNext", step.timeoutNext, "timeout", "timeout");
      break;
    case "goto":
      add("to", step.to, "goto", "goto");
      break;
    case "exit":
      break;
    default:
      add("next", step.next, "next");
  }
  return links;
}

/** The labelled outputs a step offers, linked or not (the editor connects to them). */
export function outputsOf(step: Step): { handle: string; label?: string }[] {
  switch (step.kind) {
    case "condition":
      return [
        { handle: "yes", label: "yes" },
        { handle: "no", label: "no" },
      ];
    case "split":
      return (Array.isArray(step.branches) ? step.branches : []).map((b: { name?: string }, i) => ({
        handle: `branch:${i}`,
        label: b?.name ?? `branch ${i + 1}`,
      }));
    case "wait_for_event":
      return [
        { handle: "next", label: "event" },
        { handle: "timeoutNext", label: "timeout" },
      ];
    case "goto":
      return [{ handle: "to", label: "goto" }];
    case "exit":
      return [];
    default:
      return [{ handle: "next" }];
  }
}

export function stepsOf(definition: unknown): Step[] {
  const doc = (definition ?? {}) as Definition;
  const steps = Array.isArray(doc.steps) ? doc.steps : [];
  const seen = new Set<string>();
  return steps.filter((s): s is Step => {
    if (!s || typeof s !== "object" || typeof s.id !== "string" || seen.has(s.id)) return false;
    seen.add(s.id);
    return true;
  });
}

/** A short line saying what the step does, for its box on the graph. */
export function summaryOf(step: Step): string {
  const str = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : "");
  switch (step.kind) {
    case "send":
      return step.resource ? `send “${str(step.resource)}”` : "send: no resource";
    case "wait":
      if (typeof step.seconds === "number") return `wait ${humanSeconds(step.seconds)}`;
      return step.until ? `wait until ${str(step.until)}` : "wait: no time";
    case "wait_for_event":
      return `wait for “${str(step.event)}”${typeof step.timeoutSeconds === "number" ? `, ${humanSeconds(step.timeoutSeconds)} max` : ""}`;
    case "condition":
      return step.where ? `if ${predicateText(step.where)}` : "condition: no rule";
    case "split":
      return "random split";
    case "bonus":
      return step.template ? `bonus “${str(step.template)}”` : "bonus: no template";
    case "points":
      return `${str(step.amount) || "?"} points`;
    case "set_status":
      return `status → ${str(step.status) || "?"}`;
    case "update_profile":
      return `set ${Object.keys((step.set as object) ?? {}).join(", ") || "nothing"}`;
    case "webhook":
      return step.url ? `POST ${str(step.url)}` : "webhook: no URL";
    case "goto":
      return `go to ${str(step.to) || "?"}`;
    case "exit":
      return "end the journey";
    default:
      return step.kind;
  }
}

export function humanSeconds(seconds: number): string {
  if (seconds >= 86400 && seconds % 86400 === 0) return `${seconds / 86400} d`;
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

type Predicate = {
  all?: Predicate[];
  any?: Predicate[];
  not?: Predicate;
  field?: string;
  op?: string;
  value?: unknown;
  eventCount?: { name?: string; withinSeconds?: number };
  eventSum?: { name?: string; property?: string; withinSeconds?: number };
};

const OPS: Record<string, string> = {
  eq: "=",
  ne: "≠",
  gt: ">",
  gte: "≥",
  lt: "<",
  lte: "≤",
  in: "in",
  not_in: "not in",
  contains: "contains",
  exists: "exists",
  not_exists: "is missing",
  within_last: "within the last",
  not_within_last: "not within the last",
};

/** A predicate of the `where` language in a line of words, for a step's box or a list. */
export function predicateText(p: unknown): string {
  const pred = p as Predicate;
  if (!pred || typeof pred !== "object") return "?";
  if (pred.all) return pred.all.map(predicateText).join(" and ");
  if (pred.any) return `(${pred.any.map(predicateText).join(" or ")})`;
  if (pred.not) return `not ${predicateText(pred.not)}`;
  const op = OPS[pred.op ?? ""] ?? pred.op ?? "?";
  const timed = (pred.op === "within_last" || pred.op === "not_within_last") && typeof pred.value === "number";
  const value = timed ? humanSeconds(pred.value as number) : pred.value === undefined ? "" : JSON.stringify(pred.value);
  const tail = value ? ` ${op} ${value}` : ` ${op}`;
  if (pred.eventCount) return `count of ${pred.eventCount.name}${tail}`;
  if (pred.eventSum) return `sum of ${pred.eventSum.name}.${pred.eventSum.property}${tail}`;
  const field = (pred.field ?? "?").replace(/^user\.(financial|attributes)\./, "").replace(/^(user|event\.properties)\./, "");
  return `${field}${tail}`;
}
