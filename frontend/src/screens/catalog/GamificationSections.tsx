import { Button, Group, Modal, NumberInput, Stack, Table, Text, TextInput } from "@mantine/core";
import { useState, type ReactNode } from "react";
import { useMutation, useQuery } from "urql";
import { describeError } from "../../api/errors";
import { usePermissions } from "../../auth/session";
import { graphql } from "../../gql";
import { Empty, ErrorLine, Loading } from "../../ui/feedback";
import { formatNumber, formatTime } from "../../ui/format";
import { predicateText } from "../../graph/definition";
import { JsonField, parseJson } from "./JsonField";

type Goal = { event?: string; where?: unknown; measure?: string; target?: number };
type Reward = { points?: number; bonusTemplate?: string };

/** A mission's goal in words: what is counted or summed, and the target. */
function goalText(value: unknown): string {
  const goal = (value ?? {}) as Goal;
  const measure = goal.measure?.startsWith("sum:") ? `sum of ${goal.measure.slice(4)} over` : "number of";
  const where = goal.where ? ` where ${predicateText(goal.where)}` : "";
  return `${measure} “${goal.event ?? "?"}” events${where} reaches ${goal.target ?? "?"}`;
}

function rewardText(value: unknown): string {
  const reward = (value ?? {}) as Reward;
  const parts = [
    reward.points ? `${reward.points} points` : null,
    reward.bonusTemplate ? `bonus “${reward.bonusTemplate}”` : null,
  ];
  return parts.filter(Boolean).join(" and ") || "nothing";
}

const BonusTemplatesQuery = graphql(`
  query BonusTemplates {
    bonusTemplates {
      id
      name
      kind
      amount
      currency
    }
  }
`);
const CreateBonusTemplate = graphql(`
  mutation CreateBonusTemplate($input: BonusTemplateInput!) {
    createBonusTemplate(input: $input) {
      bonusTemplate {
        id
      }
      errors {
        code
        message
      }
    }
  }
`);
const BadgesQuery = graphql(`
  query Badges {
    badges {
      id
      name
      description
      rule
    }
  }
`);
const CreateBadge = graphql(`
  mutation CreateBadge($input: BadgeInput!) {
    createBadge(input: $input) {
      badge {
        id
      }
      errors {
        code
        message
      }
    }
  }
`);
const MissionsQuery = graphql(`
  query Missions {
    missions {
      id
      name
      description
      goal
      reward
      startsAt
      endsAt
    }
  }
`);
const CreateMission = graphql(`
  mutation CreateMission($input: MissionInput!) {
    createMission(input: $input) {
      mission {
        id
      }
      errors {
        code
        message
      }
    }
  }
`);

/** A "New …" button opening a form in a dialog; the form's refusal is shown inside it. */
function CreateDialog({
  label,
  children,
  onSubmit,
  busy,
}: {
  label: string;
  children: ReactNode;
  onSubmit(): Promise<string | null>;
  busy: boolean;
}) {
  const { canEdit } = usePermissions();
  const [opened, setOpened] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!canEdit) return null;
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const message = await onSubmit();
    if (message) return setError(message);
    setOpened(false);
  }
  return (
    <>
      <Button onClick={() => { setError(null); setOpened(true); }}>{label}</Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={label} size="lg">
        <form onSubmit={submit}>
          <Stack gap="xs">
            {children}
            <ErrorLine message={error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpened(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={busy}>
                Save
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

export function BonusTemplatesSection() {
  const [{ data, fetching, error }] = useQuery({ query: BonusTemplatesQuery });
  const [state, create] = useMutation(CreateBonusTemplate);
  const [form, setForm] = useState({ name: "", kind: "FREE_SPINS", amount: 10 as number | string, currency: "" });
  const rows = data?.bonusTemplates ?? [];
  async function submit() {
    const r = await create(
      { input: { name: form.name, kind: form.kind, amount: Number(form.amount), currency: form.currency || null } },
      { additionalTypenames: ["BonusTemplate"] },
    );
    return describeError(r.error, r.data?.createBonusTemplate.errors);
  }
  return (
    <Stack gap="xs">
      <Group justify="flex-end">
        <CreateDialog label="New bonus template" onSubmit={submit} busy={state.fetching}>
          <TextInput label="Name" value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} required />
          <TextInput
            label="Kind"
            description="Passed to the wallet as it is: FREE_SPINS, CASH, FREE_BET, POINTS_MULTIPLIER…"
            value={form.kind}
            onChange={(e) => setForm({ ...form, kind: e.currentTarget.value })}
            required
          />
          <NumberInput label="Amount" value={form.amount} onChange={(v) => setForm({ ...form, amount: v })} required />
          <TextInput label="Currency" value={form.currency} onChange={(e) => setForm({ ...form, currency: e.currentTarget.value })} />
        </CreateDialog>
      </Group>
      <ErrorLine message={describeError(error)} />
      {fetching && !data ? <Loading /> : null}
      {data && !rows.length ? <Empty>No bonus template yet.</Empty> : null}
      {rows.length ? (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
              <Table.Th>Currency</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>{t.name}</Table.Td>
                <Table.Td>{t.kind}</Table.Td>
                <Table.Td ta="right">{formatNumber(t.amount, 2)}</Table.Td>
                <Table.Td>{t.currency ?? "—"}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
    </Stack>
  );
}

export function BadgesSection() {
  const [{ data, fetching, error }] = useQuery({ query: BadgesQuery });
  const [state, create] = useMutation(CreateBadge);
  const [form, setForm] = useState({
    name: "",
    description: "",
    rule: '{"field": "user.financial.depositCount", "op": "gte", "value": 5}',
  });
  const rows = data?.badges ?? [];
  async function submit() {
    const rule = parseJson("The rule", form.rule);
    if (rule.error) return rule.error;
    const r = await create(
      { input: { name: form.name, description: form.description || null, rule: rule.value } },
      { additionalTypenames: ["Badge"] },
    );
    return describeError(r.error, r.data?.createBadge.errors);
  }
  return (
    <Stack gap="xs">
      <Group justify="flex-end">
        <CreateDialog label="New badge" onSubmit={submit} busy={state.fetching}>
          <TextInput label="Name" value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} required />
          <TextInput label="Description" value={form.description} onChange={(e) => setForm({ ...form, description: e.currentTarget.value })} />
          <JsonField
            label="Rule"
            description="A predicate over the user, in the journeys' where language."
            value={form.rule}
            onChange={(rule) => setForm({ ...form, rule })}
          />
        </CreateDialog>
      </Group>
      <ErrorLine message={describeError(error)} />
      {fetching && !data ? <Loading /> : null}
      {data && !rows.length ? <Empty>No badge yet.</Empty> : null}
      {rows.length ? (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Description</Table.Th>
              <Table.Th>Rule</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((b) => (
              <Table.Tr key={b.id}>
                <Table.Td>{b.name}</Table.Td>
                <Table.Td>{b.description ?? "—"}</Table.Td>
                <Table.Td title={JSON.stringify(b.rule)}>{predicateText(b.rule)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
    </Stack>
  );
}

export function MissionsSection() {
  const [{ data, fetching, error }] = useQuery({ query: MissionsQuery });
  const [state, create] = useMutation(CreateMission);
  const [form, setForm] = useState({
    name: "",
    description: "",
    goal: '{"event": "bet", "measure": "count", "target": 10}',
    reward: '{"points": 100}',
    startsAt: "",
    endsAt: "",
  });
  const rows = data?.missions ?? [];
  async function submit() {
    const goal = parseJson("The goal", form.goal);
    if (goal.error) return goal.error;
    const reward = parseJson("The reward", form.reward);
    if (reward.error) return reward.error;
    const r = await create(
      {
        input: {
          name: form.name,
          description: form.description || null,
          goal: goal.value,
          reward: reward.value,
          startsAt: form.startsAt || null,
          endsAt: form.endsAt || null,
        },
      },
      { additionalTypenames: ["Mission"] },
    );
    return describeError(r.error, r.data?.createMission.errors);
  }
  return (
    <Stack gap="xs">
      <Group justify="flex-end">
        <CreateDialog label="New mission" onSubmit={submit} busy={state.fetching}>
          <TextInput label="Name" value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} required />
          <TextInput label="Description" value={form.description} onChange={(e) => setForm({ ...form, description: e.currentTarget.value })} />
          <JsonField
            label="Goal"
            description="{event, where, measure: 'count' or 'sum:<property>', target}"
            value={form.goal}
            onChange={(goal) => setForm({ ...form, goal })}
          />
          <JsonField
            label="Reward"
            description="{points} and/or {bonusTemplate}"
            value={form.reward}
            onChange={(reward) => setForm({ ...form, reward })}
            minRows={1}
          />
          <Group grow>
            <TextInput
              label="Starts at (UTC, ISO 8601)"
              placeholder="2026-12-01T00:00:00Z"
              value={form.startsAt}
              onChange={(e) => setForm({ ...form, startsAt: e.currentTarget.value })}
            />
            <TextInput
              label="Ends at (UTC, ISO 8601)"
              placeholder="2026-12-31T23:59:59Z"
              value={form.endsAt}
              onChange={(e) => setForm({ ...form, endsAt: e.currentTarget.value })}
            />
          </Group>
        </CreateDialog>
      </Group>
      <ErrorLine message={describeError(error)} />
      {fetching && !data ? <Loading /> : null}
      {data && !rows.length ? <Empty>No mission yet.</Empty> : null}
      {rows.length ? (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Goal</Table.Th>
              <Table.Th>Reward</Table.Th>
              <Table.Th>Runs</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((m) => (
              <Table.Tr key={m.id}>
                <Table.Td miw={180}>
                  {m.name}
                  {m.description ? <Text size="xs">{m.description}</Text> : null}
                </Table.Td>
                <Table.Td title={JSON.stringify(m.goal)}>{goalText(m.goal)}</Table.Td>
                <Table.Td title={JSON.stringify(m.reward)}>{rewardText(m.reward)}</Table.Td>
                <Table.Td miw={140}>
                  <Text size="xs">from {formatTime(m.startsAt)}</Text>
                  <Text size="xs">to {formatTime(m.endsAt)}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
    </Stack>
  );
}
