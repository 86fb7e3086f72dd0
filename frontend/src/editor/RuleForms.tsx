import { Button, Checkbox, Group, MultiSelect, NumberInput, Paper, Select, Stack, Text, TextInput } from "@mantine/core";
import { PredicateBuilder, type Predicate } from "./PredicateBuilder";

// The journey's event rules as forms: exit and move rules (each with its own `where`)
// and the reactivation rule. Each edit changes only the keys it is about, so the
// document keeps its other keys, and their order, as they were.
type Obj = Record<string, unknown>;

/** `{...value, ...patch}` without the keys the patch clears (undefined). */
export function patched(value: Obj, patch: Obj): Obj {
  const next = { ...value, ...patch };
  for (const k of Object.keys(patch)) if (patch[k] === undefined) delete next[k];
  return next;
}

type RulesProps = { label: string; testId: string; rules: Obj[]; stepIds?: string[]; onChange: (r: Obj[]) => void };

export function EventRules({ label, testId, rules, stepIds, onChange }: RulesProps) {
  const update = (i: number, patch: Obj) => onChange(rules.map((r, j) => (j === i ? patched(r, patch) : r)));
  return (
    <Stack gap={4} data-testid={testId}>
      <Text size="sm" fw={600}>
        {label}
      </Text>
      {rules.map((r, i) => (
        <Paper key={i} withBorder p={6} radius="sm">
          <Stack gap={4}>
            <Group gap={4} align="flex-end">
              <TextInput label="Event" aria-label={`${label}: event ${i + 1}`} size="xs" w={140} value={String(r.event ?? "")} onChange={(e) => update(i, { event: e.currentTarget.value })} />
              {stepIds ? (
                <Select label="Go to step" aria-label={`${label}: step ${i + 1}`} size="xs" w={130} data={stepIds} value={(r.to as string) ?? null} onChange={(v) => update(i, { to: v ?? undefined })} />
              ) : null}
              <Button size="compact-xs" variant="subtle" color="red" onClick={() => onChange(rules.filter((_, j) => j !== i))}>
                Remove
              </Button>
            </Group>
            <PredicateBuilder label="Only when" testId={`${testId}-${i + 1}-where`} withEvent value={r.where as Predicate} onChange={(v) => update(i, { where: v })} />
          </Stack>
        </Paper>
      ))}
      <Button size="compact-xs" variant="light" onClick={() => onChange([...rules, stepIds ? { event: "", to: stepIds[0] } : { event: "" }])}>
        Add a rule
      </Button>
    </Stack>
  );
}

// The statuses an ended entry can have (backend.statuses.ENDED); the server's default is COMPLETED and EXITED.
const ENDED = ["COMPLETED", "EXITED", "STOPPED", "FAILED"];

function duration(label: string, unit: "hours" | "days", value: unknown, onChange: (seconds: number | undefined) => void) {
  const per = unit === "hours" ? 3600 : 86400;
  return (
    <NumberInput
      label={`${label} (${unit})`}
      size="xs"
      min={0}
      decimalScale={3}
      value={typeof value === "number" ? value / per : ""}
      onChange={(v) => onChange(typeof v === "number" ? Math.round(v * per) : undefined)}
    />
  );
}

/** `reactivation: {event, where, waitSeconds, lookbackSeconds, eligibleStatuses, resumeAt, insertIfNone}`. */
export function ReactivationForm({ rule, stepIds, onChange }: { rule: Obj | null | undefined; stepIds: string[]; onChange: (r: Obj | undefined) => void }) {
  if (!rule) {
    return (
      <Group gap="xs" data-testid="reactivation-form">
        <Text size="xs">Ended entries do not come back.</Text>
        <Button size="compact-xs" variant="light" onClick={() => onChange({ event: "login", waitSeconds: 0, lookbackSeconds: 2592000 })}>
          Add a reactivation rule
        </Button>
      </Group>
    );
  }
  const set = (patch: Obj) => onChange(patched(rule, patch));
  const statuses = Array.isArray(rule.eligibleStatuses) ? (rule.eligibleStatuses as string[]) : [];
  return (
    <Stack gap="xs" data-testid="reactivation-form">
      <TextInput label="When the user does the event" size="xs" value={String(rule.event ?? "")} onChange={(e) => set({ event: e.currentTarget.value })} />
      <PredicateBuilder label="Only when" testId="reactivation-where" withEvent value={rule.where as Predicate} onChange={(v) => set({ where: v })} />
      <Group gap="xs" grow>
        {duration("After", "hours", rule.waitSeconds, (v) => set({ waitSeconds: v }))}
        {duration("Entries ended within", "days", rule.lookbackSeconds, (v) => set({ lookbackSeconds: v }))}
      </Group>
      <MultiSelect
        label="Entries that ended as"
        size="xs"
        data={ENDED}
        value={statuses}
        placeholder={statuses.length ? undefined : "COMPLETED, EXITED (the default)"}
        onChange={(v) => set({ eligibleStatuses: v.length ? v : undefined })}
      />
      <Select
        label="Run again from step"
        size="xs"
        data={stepIds}
        value={typeof rule.resumeAt === "string" ? rule.resumeAt : null}
        placeholder="The start"
        clearable
        onChange={(v) => set({ resumeAt: v ?? undefined })}
      />
      <Checkbox
        size="xs"
        label="With no such entry, start a new one"
        checked={!!rule.insertIfNone}
        onChange={(e) => set({ insertIfNone: e.currentTarget.checked })}
      />
      <Text size="xs" c="dimmed">
        The user's latest entry that ended within that time, in one of those statuses and never reactivated before, runs again from that step.
      </Text>
      <Button size="compact-xs" variant="subtle" color="red" onClick={() => onChange(undefined)}>
        Remove the reactivation rule
      </Button>
    </Stack>
  );
}
