import { ActionIcon, Button, Group, NumberInput, Paper, Select, Stack, Text, TextInput } from "@mantine/core";

// The `where` language as a form: all / any / not groups of conditions on a field,
// the count of an event, or the sum of an event's property, in a window.
export type Predicate = Record<string, unknown>;

const OPS = [
  ["eq", "="],
  ["ne", "≠"],
  ["gt", ">"],
  ["gte", "≥"],
  ["lt", "<"],
  ["lte", "≤"],
  ["in", "in (comma list)"],
  ["not_in", "not in (comma list)"],
  ["contains", "contains"],
  ["exists", "exists"],
  ["not_exists", "is missing"],
  ["within_last", "within the last (s)"],
  ["not_within_last", "not within the last (s)"],
].map(([value, label]) => ({ value, label }));

const USER_FIELDS = [
  "user.externalId",
  "user.username",
  "user.email",
  "user.phone",
  "user.timezone",
  "user.points",
  "user.level",
  "user.financial.depositCount",
  "user.financial.depositTotal",
  "user.financial.lastDepositAt",
  "entry.round",
];
const EVENT_FIELDS = ["event.name"];

type Props = {
  value: Predicate | null | undefined;
  onChange: (value: Predicate | undefined) => void;
  /** Whether `event.*` paths may be used (an event is there: a trigger, a wait_for_event, a goal...). */
  withEvent?: boolean;
  label: string;
  /** The test id of the builder; by default `predicate-<label>`. */
  testId?: string;
};

/** The predicate of a `where` (or a segment): empty means "always". */
export function PredicateBuilder({ value, onChange, withEvent = false, label, testId }: Props) {
  return (
    <Stack gap={4} data-testid={testId ?? `predicate-${label}`}>
      <Text size="sm" fw={600}>
        {label}
      </Text>
      {value ? (
        <Node value={value} onChange={onChange} withEvent={withEvent} depth={0} />
      ) : (
        <Group gap="xs">
          <Text size="xs" c="dimmed">
            No rule.
          </Text>
          <Button size="compact-xs" variant="light" onClick={() => onChange(blankCondition(withEvent))}>
            Add a rule
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function blankCondition(withEvent: boolean): Predicate {
  return withEvent ? { field: "event.properties.amount", op: "gte", value: 0 } : { field: "user.points", op: "gte", value: 0 };
}

function Node({
  value,
  onChange,
  withEvent,
  depth,
}: {
  value: Predicate;
  onChange: (v: Predicate | undefined) => void;
  withEvent: boolean;
  depth: number;
}) {
  if (Array.isArray(value.all) || Array.isArray(value.any)) {
    const mode = Array.isArray(value.all) ? "all" : "any";
    const children = (value[mode] as Predicate[]) ?? [];
    const set = (items: Predicate[]) => onChange(items.length ? { [mode]: items } : undefined);
    return (
      <Paper withBorder p={6} radius="sm">
        <Stack gap={4}>
          <Group gap="xs">
            <Select
              aria-label="Group of rules"
              size="xs"
              w={150}
              data={[
                { value: "all", label: "All of these" },
                { value: "any", label: "Any of these" },
              ]}
              value={mode}
              onChange={(m) => m && onChange({ [m]: children })}
              allowDeselect={false}
            />
            <Button size="compact-xs" variant="subtle" onClick={() => set([...children, blankCondition(withEvent)])}>
              + rule
            </Button>
            <Button size="compact-xs" variant="subtle" onClick={() => onChange(undefined)} color="red">
              Remove group
            </Button>
          </Group>
          {children.map((child, i) => (
            <Node
              key={i}
              value={child}
              withEvent={withEvent}
              depth={depth + 1}
              onChange={(v) => set(v ? children.map((c, j) => (j === i ? v : c)) : children.filter((_, j) => j !== i))}
            />
          ))}
        </Stack>
      </Paper>
    );
  }
  if (value.not && typeof value.not === "object") {
    return (
      <Paper withBorder p={6} radius="sm">
        <Group gap="xs" mb={4}>
          <Text size="xs" fw={700}>
            NOT
          </Text>
          <Button size="compact-xs" variant="subtle" onClick={() => onChange(value.not as Predicate)}>
            Remove NOT
          </Button>
        </Group>
        <Node value={value.not as Predicate} withEvent={withEvent} depth={depth + 1} onChange={(v) => onChange(v ? { not: v } : undefined)} />
      </Paper>
    );
  }
  return (
    <Stack gap={2}>
      <Leaf value={value} onChange={onChange} withEvent={withEvent} />
      <Group gap={4}>
        <Button size="compact-xs" variant="subtle" onClick={() => onChange({ all: [value, blankCondition(withEvent)] })}>
          and…
        </Button>
        <Button size="compact-xs" variant="subtle" onClick={() => onChange({ any: [value, blankCondition(withEvent)] })}>
          or…
        </Button>
        <Button size="compact-xs" variant="subtle" onClick={() => onChange({ not: value })}>
          not
        </Button>
      </Group>
    </Stack>
  );
}

type Measure = "field" | "eventCount" | "eventSum";

function Leaf({ value, onChange, withEvent }: { value: Predicate; onChange: (v: Predicate | undefined) => void; withEvent: boolean }) {
  const measure: Measure = value.eventCount ? "eventCount" : value.eventSum ? "eventSum" : "field";
  const op = (value.op as string) ?? "eq";
  const setMeasure = (m: Measure) => {
    const rest = { op, value: value.value };
    if (m === "field") onChange({ field: withEvent ? "event.properties.amount" : "user.points", ...rest });
    else if (m === "eventCount") onChange({ eventCount: { name: "deposit", withinSeconds: 604800 }, ...rest });
    else onChange({ eventSum: { name: "deposit", property: "amount", withinSeconds: 604800 }, ...rest });
  };
  const fields = [...USER_FIELDS, ...(withEvent ? EVENT_FIELDS : [])];
  const field = (value.field as string) ?? "";
  const noValue = op === "exists" || op === "not_exists";
  const agg = (value.eventCount ?? value.eventSum) as Record<string, unknown> | undefined;
  const setAgg = (patch: Record<string, unknown>) => onChange({ ...value, [measure]: { ...agg, ...patch } });
  return (
    <Group gap={4} align="flex-end" wrap="wrap">
      <Select
        aria-label="Measure"
        size="xs"
        w={120}
        data={[
          { value: "field", label: "Field" },
          { value: "eventCount", label: "Event count" },
          { value: "eventSum", label: "Event sum" },
        ]}
        value={measure}
        onChange={(m) => m && setMeasure(m as Measure)}
        allowDeselect={false}
      />
      {measure === "field" ? (
        <TextInput
          aria-label="Field path"
          size="xs"
          w={210}
          value={field}
          list="questline-fields"
          placeholder="user.attributes.vip"
          onChange={(e) => onChange({ ...value, field: e.currentTarget.value })}
        />
      ) : (
        <>
          <TextInput aria-label="Event name" size="xs" w={100} value={String(agg?.name ?? "")} onChange={(e) => setAgg({ name: e.currentTarget.value })} />
          {measure === "eventSum" ? (
            <TextInput
              aria-label="Property summed"
              size="xs"
              w={90}
              value={String(agg?.property ?? "")}
              onChange={(e) => setAgg({ property: e.currentTarget.value })}
            />
          ) : null}
          <NumberInput
            aria-label="Window in days"
            size="xs"
            w={90}
            suffix=" d"
            min={0}
            value={typeof agg?.withinSeconds === "number" ? (agg.withinSeconds as number) / 86400 : ""}
            onChange={(v) => setAgg({ withinSeconds: typeof v === "number" ? Math.round(v * 86400) : undefined })}
          />
        </>
      )}
      <Select
        aria-label="Operator"
        size="xs"
        w={130}
        data={OPS}
        value={op}
        onChange={(o) => o && onChange({ ...value, op: o, ...(o === "exists" || o === "not_exists" ? { value: undefined } : {}) })}
        allowDeselect={false}
      />
      {noValue ? null : (
        <TextInput
          aria-label="Value"
          size="xs"
          w={110}
          value={valueText(value.value)}
          onChange={(e) => onChange({ ...value, value: parseValue(e.currentTarget.value, op) })}
        />
      )}
      <ActionIcon size="sm" variant="subtle" color="red" aria-label="Remove this rule" onClick={() => onChange(undefined)}>
        ×
      </ActionIcon>
      <datalist id="questline-fields">
        {fields.map((f) => (
          <option key={f} value={f} />
        ))}
        <option value="user.attributes." />
        {withEvent ? <option value="event.properties." /> : null}
      </datalist>
    </Group>
  );
}

function valueText(v: unknown): string {
  if (Array.isArray(v)) return v.map(String).join(", ");
  if (v === undefined || v === null) return "";
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** Numbers and true / false as themselves, lists for in / not_in, the rest as text. */
export function parseValue(text: string, op: string): unknown {
  if (op === "in" || op === "not_in") return text.split(",").map((t) => scalar(t.trim())).filter((t) => t !== "");
  return scalar(text);
}

function scalar(text: string): unknown {
  if (text === "true") return true;
  if (text === "false") return false;
  if (text.trim() !== "" && !Number.isNaN(Number(text))) return Number(text);
  return text;
}
