import { Button, Checkbox, Group, NumberInput, Select, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useEffect, useState } from "react";
import type { Step } from "../graph/definition";
import { KIND_LABELS, type Kind } from "./document";
import { PredicateBuilder, type Predicate } from "./PredicateBuilder";

export type Catalog = {
  resources: { name: string; channel: string }[];
  templates: string[];
  statuses: string[];
  stepIds: string[];
};

type Props = {
  step: Step;
  catalog: Catalog;
  problems: { severity: string; message: string }[];
  readOnly: boolean;
  onChange: (step: Step) => void;
  onRename: (id: string) => void;
};

/** One step's settings. Every field writes the document at once (one undo step each). */
export function StepForm({ step, catalog, problems, readOnly, onChange, onRename }: Props) {
  const set = (field: string, value: unknown) => {
    const next: Step = { ...step };
    if (value === undefined || value === "" || value === null) delete next[field];
    else next[field] = value;
    onChange(next);
  };
  const [id, setId] = useState(step.id);
  useEffect(() => setId(step.id), [step.id]);
  return (
    <Stack gap="xs" data-testid="step-form">
      <Title order={3} size="h5">
        {KIND_LABELS[step.kind as Kind] ?? step.kind}: {step.name ?? step.id}
      </Title>
      {problems.map((p, i) => (
        <Text key={i} size="xs" c={p.severity === "ERROR" ? "red.8" : "orange.9"} role="status">
          {p.severity}: {p.message}
        </Text>
      ))}
      <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0 }}>
        <Stack gap="xs">
          <Group gap="xs" align="flex-end">
            <TextInput label="Step id" size="xs" value={id} onChange={(e) => setId(e.currentTarget.value.trim())} w={150} />
            <Button size="compact-xs" variant="light" disabled={!id || id === step.id} onClick={() => onRename(id)}>
              Rename
            </Button>
          </Group>
          <TextInput label="Name" size="xs" value={step.name ?? ""} onChange={(e) => set("name", e.currentTarget.value)} />
          <KindFields step={step} catalog={catalog} set={set} />
          <Checkbox
            size="xs"
            label="Not configured yet (entries halt here)"
            checked={step.configured === false}
            onChange={(e) => set("configured", e.currentTarget.checked ? false : undefined)}
          />
        </Stack>
      </fieldset>
    </Stack>
  );
}

function seconds(label: string, value: unknown, onChange: (v: number | undefined) => void) {
  const hours = typeof value === "number" ? value / 3600 : "";
  return (
    <NumberInput
      label={`${label} (hours)`}
      size="xs"
      min={0}
      decimalScale={3}
      value={hours}
      onChange={(v) => onChange(typeof v === "number" ? Math.round(v * 3600) : undefined)}
    />
  );
}

function KindFields({ step, catalog, set }: { step: Step; catalog: Catalog; set: (f: string, v: unknown) => void }) {
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  const targets = catalog.stepIds.filter((s) => s !== step.id);
  switch (step.kind) {
    case "send":
      return (
        <Select
          label="Resource"
          size="xs"
          searchable
          placeholder="Pick a resource"
          data={catalog.resources.map((r) => ({ value: r.name, label: `${r.name} (${r.channel})` }))}
          value={text(step.resource) || null}
          onChange={(v) => set("resource", v)}
        />
      );
    case "wait":
      return (
        <>
          {seconds("Wait", step.seconds, (v) => set("seconds", v))}
          <Group gap="xs" grow>
            <TextInput label="Or until (HH:MM)" size="xs" value={text(step.until)} onChange={(e) => set("until", e.currentTarget.value)} />
            <TextInput
              label="Time zone"
              size="xs"
              placeholder="user or Europe/Riga"
              value={text(step.timezone)}
              onChange={(e) => set("timezone", e.currentTarget.value)}
            />
          </Group>
        </>
      );
    case "wait_for_event":
      return (
        <>
          <TextInput label="Event" size="xs" value={text(step.event)} onChange={(e) => set("event", e.currentTarget.value)} />
          {seconds("Time-out", step.timeoutSeconds, (v) => set("timeoutSeconds", v))}
          <PredicateBuilder label="Only when (where)" withEvent value={step.where as Predicate} onChange={(v) => set("where", v)} />
        </>
      );
    case "condition":
      return <PredicateBuilder label="Yes when (where)" value={step.where as Predicate} onChange={(v) => set("where", v)} />;
    case "split":
      return <Branches step={step} set={set} />;
    case "bonus":
      return (
        <Select
          label="Bonus template"
          size="xs"
          searchable
          placeholder="Pick a template"
          data={catalog.templates}
          value={text(step.template) || null}
          onChange={(v) => set("template", v)}
        />
      );
    case "points":
      return (
        <>
          <NumberInput label="Points" size="xs" value={typeof step.amount === "number" ? step.amount : ""} onChange={(v) => set("amount", typeof v === "number" ? v : undefined)} />
          <TextInput label="Reason" size="xs" value={text(step.reason)} onChange={(e) => set("reason", e.currentTarget.value)} />
        </>
      );
    case "set_status":
      return <Select label="Status" size="xs" data={catalog.statuses} value={text(step.status) || null} onChange={(v) => set("status", v)} />;
    case "update_profile":
      return <JsonField label="Attributes to set (JSON object)" value={step.set} onChange={(v) => set("set", v)} />;
    case "webhook":
      return (
        <>
          <TextInput label="URL" size="xs" value={text(step.url)} onChange={(e) => set("url", e.currentTarget.value)} />
          <Textarea label="Body (template, JSON text)" size="xs" autosize minRows={2} value={text(step.body)} onChange={(e) => set("body", e.currentTarget.value)} />
        </>
      );
    case "goto":
      return <Select label="Go to step" size="xs" data={targets} value={text(step.to) || null} onChange={(v) => set("to", v)} />;
    default:
      return null;
  }
}

function Branches({ step, set }: { step: Step; set: (f: string, v: unknown) => void }) {
  const branches = (Array.isArray(step.branches) ? step.branches : []) as { name?: string; percent?: number; next?: string }[];
  const total = branches.reduce((n, b) => n + (typeof b.percent === "number" ? b.percent : 0), 0);
  const update = (i: number, patch: Record<string, unknown>) => set("branches", branches.map((b, j) => (j === i ? { ...b, ...patch } : b)));
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        Branches ({total}% of 100%)
      </Text>
      {branches.map((b, i) => (
        <Group key={i} gap={4} align="flex-end">
          <TextInput aria-label={`Branch ${i + 1} name`} size="xs" w={110} value={b.name ?? ""} onChange={(e) => update(i, { name: e.currentTarget.value })} />
          <NumberInput
            aria-label={`Branch ${i + 1} percent`}
            size="xs"
            w={80}
            min={0}
            max={100}
            suffix="%"
            value={b.percent ?? ""}
            onChange={(v) => update(i, { percent: typeof v === "number" ? v : undefined })}
          />
          <Button size="compact-xs" variant="subtle" color="red" onClick={() => set("branches", branches.filter((_, j) => j !== i))}>
            Remove
          </Button>
        </Group>
      ))}
      <Button size="compact-xs" variant="light" onClick={() => set("branches", [...branches, { name: String.fromCharCode(65 + branches.length), percent: 0 }])}>
        Add a branch
      </Button>
    </Stack>
  );
}

/** A JSON value typed as text; written to the document when it parses. */
export function JsonField({ label, value, onChange }: { label: string; value: unknown; onChange: (v: unknown) => void }) {
  const [text, setText] = useState(value === undefined ? "" : JSON.stringify(value, null, 1));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText((t) => {
      try {
        if (JSON.stringify(JSON.parse(t)) === JSON.stringify(value)) return t;
      } catch {
        /* keep the operator's text while it does not parse */
      }
      return value === undefined ? "" : JSON.stringify(value, null, 1);
    });
  }, [value]);
  return (
    <Textarea
      label={label}
      size="xs"
      autosize
      minRows={2}
      maxRows={10}
      value={text}
      error={error}
      styles={{ input: { fontFamily: "monospace" } }}
      onChange={(e) => {
        const t = e.currentTarget.value;
        setText(t);
        if (!t.trim()) {
          setError(null);
          onChange(undefined);
          return;
        }
        try {
          onChange(JSON.parse(t));
          setError(null);
        } catch (err) {
          setError(`Not JSON yet: ${(err as Error).message}`);
        }
      }}
    />
  );
}
