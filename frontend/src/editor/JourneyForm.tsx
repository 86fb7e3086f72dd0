import { Button, Checkbox, Divider, Group, List, NumberInput, Select, Stack, TagsInput, Text, TextInput, Textarea, Title } from "@mantine/core";
import { Cron } from "croner";
import { useMemo, useState } from "react";
import { useClient } from "urql";
import { describeError } from "../api/errors";
import type { Definition } from "../graph/definition";
import type { Draft } from "./history";
import { PredicateBuilder, type Predicate } from "./PredicateBuilder";
import { EventRules, ReactivationForm } from "./RuleForms";
import { SegmentQuery } from "./queries";

type Props = {
  draft: Draft;
  stepIds: string[];
  readOnly: boolean;
  onChange: (draft: Draft) => void;
};

type Obj = Record<string, unknown>;

/** The journey as a whole: name, trigger, re-entry, control group, goal, rules, quiet hours, ladder. */
export function JourneyForm({ draft, stepIds, readOnly, onChange }: Props) {
  const doc = draft.definition;
  const setDoc = (field: string, value: unknown) => {
    const next: Definition = { ...doc };
    if (value === undefined) delete next[field];
    else next[field] = value;
    onChange({ ...draft, definition: next });
  };
  const trigger = (doc.trigger ?? {}) as Obj;
  const setTrigger = (patch: Obj) => {
    const next = { ...trigger, ...patch };
    for (const k of Object.keys(patch)) if (patch[k] === undefined) delete next[k];
    setDoc("trigger", next);
  };
  const goal = doc.goal as Obj | undefined;
  const setGoal = (patch: Obj) => setDoc("goal", { ...(goal ?? {}), ...patch });
  const quiet = doc.quietHours as Obj | undefined;
  return (
    <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0 }} data-testid="journey-form">
      <Stack gap="xs">
        <Title order={3} size="h5">
          The journey
        </Title>
        <TextInput label="Name" size="xs" value={draft.name} onChange={(e) => onChange({ ...draft, name: e.currentTarget.value })} />
        <Textarea label="Description" size="xs" autosize value={draft.description} onChange={(e) => onChange({ ...draft, description: e.currentTarget.value })} />
        <TagsInput label="Tags" size="xs" value={draft.tags} onChange={(tags) => onChange({ ...draft, tags })} />
        <Divider label="Trigger" labelPosition="left" />
        <Select
          label="Trigger kind"
          size="xs"
          data={[
            { value: "EVENT", label: "An event (EVENT)" },
            { value: "API", label: "The API (enterJourney)" },
            { value: "SCHEDULED_SEGMENT", label: "A segment on a schedule" },
          ]}
          value={(trigger.kind as string) ?? null}
          onChange={(kind) => kind && setDoc("trigger", kindTrigger(kind, trigger))}
          allowDeselect={false}
        />
        {trigger.kind === "EVENT" ? (
          <>
            <TextInput label="Event name" size="xs" value={String(trigger.event ?? "")} onChange={(e) => setTrigger({ event: e.currentTarget.value })} />
            <PredicateBuilder label="Only when (trigger where)" withEvent value={trigger.where as Predicate} onChange={(v) => setTrigger({ where: v })} />
          </>
        ) : null}
        {trigger.kind === "SCHEDULED_SEGMENT" ? <SegmentBuilder trigger={trigger} setTrigger={setTrigger} /> : null}
        <Divider label="Entering" labelPosition="left" />
        <Select
          label="Re-entry mode"
          size="xs"
          data={[
            { value: "ONCE", label: "Once per user (ONCE)" },
            { value: "NOT_WHILE_ACTIVE", label: "Again when the last entry ended (NOT_WHILE_ACTIVE)" },
            { value: "RESTART", label: "Restart the running entry (RESTART)" },
            { value: "EVERY_ENTRY", label: "Every time (EVERY_ENTRY)" },
          ]}
          value={draft.reentryMode}
          onChange={(v) => v && onChange({ ...draft, reentryMode: v })}
          allowDeselect={false}
        />
        <NumberInput
          label="Control group (% of entries held out)"
          size="xs"
          min={0}
          max={100}
          value={draft.controlGroupPercent}
          onChange={(v) => onChange({ ...draft, controlGroupPercent: typeof v === "number" ? v : 0 })}
        />
        <Checkbox
          size="xs"
          label="Freeze running entries when the journey stops"
          checked={draft.freezeOnStop}
          onChange={(e) => onChange({ ...draft, freezeOnStop: e.currentTarget.checked })}
        />
        <Divider label="Goal" labelPosition="left" />
        {goal ? (
          <>
            <Group gap="xs" grow>
              <TextInput label="Goal event" size="xs" value={String(goal.event ?? "")} onChange={(e) => setGoal({ event: e.currentTarget.value })} />
              <NumberInput
                label="Within (days)"
                size="xs"
                min={0}
                value={typeof goal.withinSeconds === "number" ? goal.withinSeconds / 86400 : ""}
                onChange={(v) => setGoal({ withinSeconds: typeof v === "number" ? Math.round(v * 86400) : undefined })}
              />
            </Group>
            <Checkbox size="xs" label="Exit on conversion" checked={!!goal.exitOnConversion} onChange={(e) => setGoal({ exitOnConversion: e.currentTarget.checked })} />
            <PredicateBuilder label="Goal where" withEvent value={goal.where as Predicate} onChange={(v) => setGoal({ where: v })} />
            <Button size="compact-xs" variant="subtle" color="red" onClick={() => setDoc("goal", undefined)}>
              Remove the goal
            </Button>
          </>
        ) : (
          <Button size="compact-xs" variant="light" onClick={() => setDoc("goal", { event: "deposit", withinSeconds: 604800 })}>
            Add a goal
          </Button>
        )}
        <Divider label="Exit and move rules" labelPosition="left" />
        <EventRules
          label="Exit when the user does"
          testId="exit-rules"
          rules={(doc.exitWhen as Obj[]) ?? []}
          onChange={(rules) => setDoc("exitWhen", rules.length ? rules : undefined)}
        />
        <EventRules
          label="Move when the user does"
          testId="move-rules"
          rules={(doc.moveWhen as Obj[]) ?? []}
          stepIds={stepIds}
          onChange={(rules) => setDoc("moveWhen", rules.length ? rules : undefined)}
        />
        <Divider label="Quiet hours (user's time zone)" labelPosition="left" />
        <Group gap="xs" grow>
          <TextInput
            label="From (HH:MM)"
            size="xs"
            value={String(quiet?.start ?? "")}
            onChange={(e) => setDoc("quietHours", e.currentTarget.value || quiet?.end ? { ...quiet, start: e.currentTarget.value } : undefined)}
          />
          <TextInput
            label="To (HH:MM)"
            size="xs"
            value={String(quiet?.end ?? "")}
            onChange={(e) => setDoc("quietHours", e.currentTarget.value || quiet?.start ? { ...quiet, end: e.currentTarget.value } : undefined)}
          />
        </Group>
        <Divider label="Status ladder" labelPosition="left" />
        <Ladder statuses={doc.statuses as Obj[] | undefined} onChange={(s) => setDoc("statuses", s)} />
        <Divider label="Reactivation" labelPosition="left" />
        <ReactivationForm rule={doc.reactivation as Obj | null | undefined} stepIds={stepIds} onChange={(v) => setDoc("reactivation", v)} />
      </Stack>
    </fieldset>
  );
}

function kindTrigger(kind: string, old: Obj): Obj {
  if (kind === "EVENT") return { kind, event: old.event ?? "deposit", ...(old.where ? { where: old.where } : {}) };
  if (kind === "SCHEDULED_SEGMENT")
    return { kind, schedule: old.schedule ?? { cron: "0 9 * * 1", timezone: "UTC" }, segment: old.segment ?? { field: "user.points", op: "gte", value: 0 } };
  return { kind };
}

const DEFAULT_LADDER = [
  { name: "Entered", step: 0 },
  { name: "Sent", step: 10 },
  { name: "Delivered", step: 20 },
  { name: "Opened", step: 30 },
  { name: "Clicked", step: 40 },
  { name: "Converted", step: 50 },
];

function Ladder({ statuses, onChange }: { statuses: Obj[] | undefined; onChange: (s: Obj[] | undefined) => void }) {
  if (!statuses) {
    return (
      <Group gap="xs">
        <Text size="xs">The default ladder (Entered 0 … Converted 50).</Text>
        <Button size="compact-xs" variant="light" onClick={() => onChange(DEFAULT_LADDER)}>
          Edit the ladder
        </Button>
      </Group>
    );
  }
  const update = (i: number, patch: Obj) => onChange(statuses.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  return (
    <Stack gap={4}>
      {statuses.map((s, i) => (
        <Group key={i} gap={4}>
          <TextInput aria-label={`Status ${i + 1} name`} size="xs" w={130} value={String(s.name ?? "")} onChange={(e) => update(i, { name: e.currentTarget.value })} />
          <NumberInput aria-label={`Status ${i + 1} step`} size="xs" w={80} value={typeof s.step === "number" ? s.step : ""} onChange={(v) => update(i, { step: typeof v === "number" ? v : 0 })} />
          <Button size="compact-xs" variant="subtle" color="red" onClick={() => onChange(statuses.filter((_, j) => j !== i))}>
            Remove
          </Button>
        </Group>
      ))}
      <Group gap="xs">
        <Button size="compact-xs" variant="light" onClick={() => onChange([...statuses, { name: "", step: 60 }])}>
          Add a status
        </Button>
        <Button size="compact-xs" variant="subtle" onClick={() => onChange(undefined)}>
          Back to the default ladder
        </Button>
      </Group>
    </Stack>
  );
}

/** The segment of a SCHEDULED_SEGMENT journey: its predicate, who it matches now, its schedule. */
function SegmentBuilder({ trigger, setTrigger }: { trigger: Obj; setTrigger: (p: Obj) => void }) {
  const schedule = (trigger.schedule ?? {}) as Obj;
  const setSchedule = (patch: Obj) => setTrigger({ schedule: { ...schedule, ...patch } });
  const client = useClient();
  const [count, setCount] = useState<{ matched?: number; sample?: string[]; error?: string } | null>(null);
  const runs = useMemo(() => nextRuns(String(schedule.cron ?? ""), String(schedule.timezone ?? "UTC")), [schedule.cron, schedule.timezone]);
  const countNow = async () => {
    setCount(null);
    const result = await client.query(SegmentQuery, { segment: trigger.segment ?? {} }, { requestPolicy: "network-only" }).toPromise();
    const notBuilt = result.error?.graphQLErrors.some((e) => e.extensions?.code === "NOT_IMPLEMENTED");
    if (notBuilt) setCount({ error: "Counting a segment is not available on this server yet (previewSegment is not implemented)." });
    else if (result.error) setCount({ error: describeError(result.error) ?? "failed" });
    else {
      const p = result.data?.previewSegment;
      setCount({ matched: p?.matched, sample: p?.sample.map((u) => u.username ?? u.externalId) });
    }
  };
  return (
    <Stack gap="xs" data-testid="segment-builder">
      <PredicateBuilder label="Users in the segment" value={trigger.segment as Predicate} onChange={(v) => setTrigger({ segment: v })} />
      <Group gap="xs">
        <Button size="compact-xs" variant="light" onClick={countNow}>
          Count matching users now
        </Button>
        {count?.matched !== undefined ? (
          <Text size="xs" data-testid="segment-count">
            {count.matched.toLocaleString("en-GB")} users match now{count.sample?.length ? `, e.g. ${count.sample.join(", ")}` : ""}
          </Text>
        ) : null}
      </Group>
      {count?.error ? (
        <Text size="xs" c="orange.9" role="status" data-testid="segment-count-error">
          {count.error}
        </Text>
      ) : null}
      <Group gap="xs" grow>
        <TextInput label="Cron (min hour day month weekday)" size="xs" value={String(schedule.cron ?? "")} onChange={(e) => setSchedule({ cron: e.currentTarget.value })} />
        <TextInput label="Time zone" size="xs" value={String(schedule.timezone ?? "")} onChange={(e) => setSchedule({ timezone: e.currentTarget.value })} />
      </Group>
      <NumberInput
        label="Share of the matched users drawn each run (%)"
        size="xs"
        min={1}
        max={100}
        value={typeof trigger.limitPercent === "number" ? trigger.limitPercent : 100}
        onChange={(v) => setTrigger({ limitPercent: typeof v === "number" && v < 100 ? v : undefined })}
      />
      <Stack gap={0} data-testid="next-runs">
        <Text size="xs" fw={600}>
          Next runs ({String(schedule.timezone || "UTC")})
        </Text>
        {"error" in runs ? (
          <Text size="xs" c="red.8">
            {runs.error}
          </Text>
        ) : (
          <List size="xs">
            {runs.times.map((t) => (
              <List.Item key={t}>{t}</List.Item>
            ))}
          </List>
        )}
      </Stack>
    </Stack>
  );
}

export function nextRuns(cron: string, timezone: string): { times: string[] } | { error: string } {
  try {
    const job = new Cron(cron, { timezone: timezone || "UTC", paused: true });
    const format = new Intl.DateTimeFormat("en-GB", {
      timeZone: timezone || "UTC",
      weekday: "short",
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
    });
    return { times: job.nextRuns(5).map((d) => format.format(d)) };
  } catch (err) {
    return { error: `Not a schedule: ${(err as Error).message}` };
  }
}
