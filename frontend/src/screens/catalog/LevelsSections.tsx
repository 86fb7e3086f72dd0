import { ActionIcon, Anchor, Button, Group, NumberInput, SegmentedControl, Stack, Table, Text, TextInput } from "@mantine/core";
import { useEffect, useState } from "react";
import { Link } from "react-router";
import { useMutation, useQuery } from "urql";
import { describeError } from "../../api/errors";
import { usePermissions } from "../../auth/session";
import { graphql } from "../../gql";
import type { Period } from "../../gql/graphql";
import { Empty, ErrorLine, Loading } from "../../ui/feedback";
import { formatNumber } from "../../ui/format";
import { PERIODS } from "../../ui/periods";

const LevelsQuery = graphql(`
  query Levels {
    levels {
      name
      threshold
    }
  }
`);
const SetLevels = graphql(`
  mutation SetLevels($levels: [LevelInput!]!) {
    setLevels(levels: $levels) {
      levels {
        name
        threshold
      }
      errors {
        code
        message
      }
    }
  }
`);
const LeaderboardQuery = graphql(`
  query Leaderboard($period: Period) {
    leaderboard(period: $period, first: 50) {
      rank
      points
      user {
        id
        externalId
        username
      }
    }
  }
`);

type Row = { name: string; threshold: number | string };

/** Levels by points threshold; only an ADMIN may change the ladder. */
export function LevelsSection() {
  const { isAdmin } = usePermissions();
  const [{ data, fetching, error }] = useQuery({ query: LevelsQuery });
  const [rows, setRows] = useState<Row[]>([]);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [state, save] = useMutation(SetLevels);
  useEffect(() => setRows(data?.levels.map((l) => ({ ...l })) ?? []), [data]);
  const update = (i: number, patch: Partial<Row>) => {
    setSaved(false);
    setRows((r) => r.map((row, j) => (j === i ? { ...row, ...patch } : row)));
  };

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setSaveError(null);
    const levels = rows.map((r) => ({ name: r.name, threshold: Number(r.threshold) }));
    const r = await save({ levels }, { additionalTypenames: ["Level"] });
    const message = describeError(r.error, r.data?.setLevels.errors);
    if (message) return setSaveError(message);
    setSaved(true);
  }

  if (fetching && !data) return <Loading />;
  if (!isAdmin) {
    return (
      <Stack gap="xs">
        <ErrorLine message={describeError(error)} />
        {rows.length ? (
          <Table striped maw={420}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Level</Table.Th>
                <Table.Th ta="right">From points</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((l) => (
                <Table.Tr key={l.name}>
                  <Table.Td>{l.name}</Table.Td>
                  <Table.Td ta="right">{formatNumber(Number(l.threshold))}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <Empty>No level yet.</Empty>
        )}
      </Stack>
    );
  }
  return (
    <form onSubmit={submit}>
      <Stack gap="xs" maw={520}>
        <ErrorLine message={describeError(error)} />
        {rows.map((row, i) => (
          <Group key={i} align="flex-end" gap="xs">
            <TextInput label={`Level ${i + 1} name`} value={row.name} onChange={(e) => update(i, { name: e.currentTarget.value })} required />
            <NumberInput label="From points" value={row.threshold} onChange={(v) => update(i, { threshold: v })} min={0} required />
            <ActionIcon
              variant="subtle"
              color="red"
              size="lg"
              onClick={() => setRows((r) => r.filter((_, j) => j !== i))}
              aria-label={`Remove level ${row.name || i + 1}`}
            >
              ×
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button variant="default" onClick={() => setRows((r) => [...r, { name: "", threshold: "" }])}>
            Add a level
          </Button>
          <Button type="submit" loading={state.fetching}>
            Save the levels
          </Button>
          {saved ? (
            <Text size="sm" role="status">
              Saved.
            </Text>
          ) : null}
        </Group>
        <ErrorLine message={saveError} />
      </Stack>
    </form>
  );
}

export function LeaderboardSection() {
  const [period, setPeriod] = useState("ALL");
  const [{ data, fetching, error }] = useQuery({
    query: LeaderboardQuery,
    variables: { period: period === "ALL" ? null : (period as Period) },
  });
  const rows = data?.leaderboard ?? [];
  return (
    <Stack gap="xs">
      <Stack gap={2}>
        <Text size="xs" fw={500} id="leaderboard-period">
          Points earned in
        </Text>
        <SegmentedControl
          aria-labelledby="leaderboard-period"
          value={period}
          onChange={setPeriod}
          data={[{ value: "ALL", label: "All time" }, ...PERIODS]}
          w="fit-content"
        />
      </Stack>
      <ErrorLine message={describeError(error)} />
      {fetching && !data ? <Loading /> : null}
      {data && !rows.length ? <Empty>Nobody has points in this period.</Empty> : null}
      {rows.length ? (
        <Table striped maw={560}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Rank</Table.Th>
              <Table.Th>User</Table.Th>
              <Table.Th ta="right">Points</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.user.id}>
                <Table.Td>{r.rank}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/users/${encodeURIComponent(r.user.id)}`} size="sm">
                    {r.user.username ?? r.user.externalId}
                  </Anchor>
                </Table.Td>
                <Table.Td ta="right">{formatNumber(r.points)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
    </Stack>
  );
}
