// Edits of the journey document, as pure functions: each takes a definition and returns
// a new one, leaving every field it does not touch as it was (key order included), so
// the JSON view and a save round-trip the document exactly.
import { KINDS, stepsOf, type Definition, type Step } from "../graph/definition";
import { TRIGGER_ID } from "../graph/layout";

export type Kind = (typeof KINDS)[number];

export const KIND_LABELS: Record<Kind, string> = {
  send: "Send",
  wait: "Wait",
  wait_for_event: "Wait for event",
  condition: "Condition",
  split: "Split",
  bonus: "Bonus",
  points: "Points",
  set_status: "Set status",
  update_profile: "Update profile",
  webhook: "Webhook",
  goto: "Go to",
  exit: "Exit",
};

/** A new step of a kind: only what the kind needs to be drawn; the form fills the rest. */
export function blankStep(kind: Kind, id: string): Step {
  switch (kind) {
    case "wait":
      return { id, kind, seconds: 86400 };
    case "split":
      return {
        id,
        kind,
        branches: [
          { name: "A", percent: 50 },
          { name: "B", percent: 50 },
        ],
      };
    default:
      return { id, kind };
  }
}

export function newStepId(definition: Definition, kind: string): string {
  const taken = new Set(stepsOf(definition).map((s) => s.id));
  for (let n = 1; ; n++) {
    const id = `${kind}_${n}`;
    if (!taken.has(id)) return id;
  }
}

function withSteps(definition: Definition, steps: Step[]): Definition {
  return { ...definition, steps };
}

export function replaceStep(definition: Definition, id: string, step: Step): Definition {
  return withSteps(
    definition,
    (definition.steps ?? []).map((s) => (s.id === id ? step : s)),
  );
}

export function addStep(definition: Definition, step: Step): Definition {
  const steps = [...(definition.steps ?? []), step];
  const next = withSteps(definition, steps);
  return definition.start ? next : { ...next, start: step.id };
}

/** Sets (or, with target null, clears) the link a step's output handle holds. */
export function setLink(definition: Definition, sourceId: string, handle: string | null | undefined, target: string | null): Definition {
  if (sourceId === TRIGGER_ID) {
    const { start: _old, ...rest } = definition;
    return target ? { ...definition, start: target } : (rest as Definition);
  }
  const step = stepsOf(definition).find((s) => s.id === sourceId);
  if (!step) return definition;
  return replaceStep(definition, sourceId, linkedStep(step, handle || "next", target));
}

function linkedStep(step: Step, handle: string, target: string | null): Step {
  if (handle.startsWith("branch:")) {
    const i = Number(handle.slice("branch:".length));
    const branches = (Array.isArray(step.branches) ? step.branches : []).map((b: Record<string, unknown>, j: number) => {
      if (j !== i) return b;
      const { next: _gone, ...rest } = b;
      return target ? { ...b, next: target } : rest;
    });
    return { ...step, branches };
  }
  if (target) return { ...step, [handle]: target };
  const { [handle]: _gone, ...rest } = step;
  return rest as Step;
}

/** The output handles of a step that link nowhere yet, in the order the step offers them. */
export function freeHandles(step: Step, outputs: { handle: string }[]): string[] {
  return outputs
    .map((o) => o.handle)
    .filter((h) => {
      if (h.startsWith("branch:")) {
        const b = (step.branches as { next?: string }[] | undefined)?.[Number(h.slice(7))];
        return !b?.next;
      }
      return !step[h];
    });
}

/** Removes steps, and every link to them (the start too), so nothing names a step that is gone. */
export function deleteSteps(definition: Definition, ids: ReadonlySet<string>): Definition {
  let doc: Definition = withSteps(
    definition,
    (definition.steps ?? []).filter((s) => !ids.has(s.id)),
  );
  doc = clearLinksTo(doc, ids);
  if (doc.start && ids.has(doc.start)) {
    const { start: _gone, ...rest } = doc;
    doc = rest as Definition;
  }
  return doc;
}

function clearLinksTo(definition: Definition, ids: ReadonlySet<string>): Definition {
  const steps = (definition.steps ?? []).map((step) => {
    let s = step;
    for (const field of ["next", "yes", "no", "timeoutNext", "to"]) {
      if (typeof s[field] === "string" && ids.has(s[field] as string)) s = linkedStep(s, field, null);
    }
    if (Array.isArray(s.branches)) {
      s.branches.forEach((b: { next?: string }, i: number) => {
        if (b?.next && ids.has(b.next)) s = linkedStep(s, `branch:${i}`, null);
      });
    }
    return s;
  });
  return withSteps(definition, steps);
}

const LINK_FIELDS = ["next", "yes", "no", "timeoutNext", "to"] as const;

/**
 * Steps copied elsewhere (this journey or another): ids that are taken get a new one,
 * links between the copied steps follow the new ids, links to steps left behind are dropped.
 */
export function pasteSteps(definition: Definition, copied: Step[]): { definition: Definition; ids: Map<string, string> } {
  const ids = new Map<string, string>();
  let doc = definition;
  for (const step of copied) {
    const taken = new Set([...stepsOf(doc).map((s) => s.id), ...ids.values()]);
    let id = step.id;
    for (let n = 2; taken.has(id); n++) id = `${step.id}_${n}`;
    ids.set(step.id, id);
  }
  const relink = (target: unknown) => (typeof target === "string" ? ids.get(target) : undefined);
  const pasted = copied.map((original) => {
    let s: Step = { ...structuredClone(original), id: ids.get(original.id) as string };
    for (const field of LINK_FIELDS) {
      if (field in s) s = linkedStep(s, field, relink(s[field]) ?? null);
    }
    if (Array.isArray(s.branches)) {
      s.branches.forEach((b: { next?: string }, i: number) => {
        s = linkedStep(s, `branch:${i}`, relink(b?.next) ?? null);
      });
    }
    return s;
  });
  for (const s of pasted) doc = addStep(doc, s);
  return { definition: doc, ids };
}

/** Renames a step and every link to it. */
export function renameStep(definition: Definition, from: string, to: string): Definition {
  if (!to || from === to || stepsOf(definition).some((s) => s.id === to)) return definition;
  const swap = (v: unknown) => (v === from ? to : v);
  const steps = (definition.steps ?? []).map((step) => {
    const s: Step = { ...step, id: step.id === from ? to : step.id };
    for (const field of LINK_FIELDS) if (field in s) (s as Record<string, unknown>)[field] = swap(s[field]);
    if (Array.isArray(s.branches))
      s.branches = s.branches.map((b: { next?: string }) => (b?.next === from ? { ...b, next: to } : b));
    return s;
  });
  const doc = withSteps(definition, steps);
  return definition.start === from ? { ...doc, start: to } : doc;
}

export function emptyDefinition(): Definition {
  return { trigger: { kind: "API" }, steps: [] };
}
