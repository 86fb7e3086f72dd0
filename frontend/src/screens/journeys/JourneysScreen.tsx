import { Anchor, Badge, Group, Select, Stack, Table, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useState } from "react";
import { Link } from "react-router";
import { useQuery } from "urql";
import { describeError } from "../../api/errors";
import { usePermissions } from "../../auth/session";
import { graphql } from "../../gql";
import type { JourneyStatus, TriggerKind } from "../../gql/graphql";
import { NewJourneyButton } from "./NewJourneyButton";
import { Empty, ErrorLine, Loading } from "../../ui/feedback";
import { formatNumber } from "../../ui/format";
import { Pager } from "../../ui/Pager";
import { StatusBadge } from "../../ui/StatusBadge";
import { JourneyActions } from "./JourneyActions";
import { useSearchParam } from "../../ui/searchParams";

const JourneysQuery = graphql(`
  query Journeys($first: Int, $after: String, $search: String, $status: JourneyStatus, $tag: String, $triggerKind: TriggerKind) {
    journeys(first: $first, after: $after, search: $search, status: $status, tag: $tag, triggerKind: $triggerKind) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          status
          tags
          triggerKind
          version
          freezeOnStop
          problems {
            stepId
            severity
            message
          }
          stats {
            entered
            inProgress
            converted
          }
        }
      }
    }
  }
`);

const STATUSES = ["DRAFT", "ACTIVE", "STOPPED", "ARCHIVED"];
const PAGE = 25;
const TRIGGERS = [
  { value: "EVENT", label: "Event" },
  { value: "API", label: "API" },
  { value: "SCHEDULED_SEGMENT", label: "Scheduled segment" },
];

export default function JourneysScreen() {
  const { canEdit } = usePermissions();
  // Filters live in the address, so a filtered list can be shared as a link.
  const [params, setSearchParam] = useSearchParam();
  const [search, setSearch] = useState(params.get("search") ?? "");
  const [debounced] = useDebouncedValue(search, 300);
  const status = params.get("status");
  const tag = params.get("tag") ?? "";
  const trigger = params.get("trigger");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [{ data, fetching, error }, refetch] = useQuery({
    query: JourneysQuery,
    variables: {
      first: PAGE,
      after: cursors[cursors.length - 1],
      search: debounced || null,
      status: (status as JourneyStatus) || null,
      tag: tag || null,
      triggerKind: (trigger as TriggerKind) || null,
    },
  });
  const setParam = (key: string, value: string | null) => {
    setSearchParam(key, value);
    setCursors([null]);
  };
  const rows = data?.journeys.edges.map((e) => e.node) ?? [];

  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        Journeys
      </Title>
      <Group align="flex-end">
        <TextInput
          label="Search by name"
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setCursors([null]);
            setParam("search", e.currentTarget.value || null);
          }}
          w={260}
        />
        <Select
          label="Status"
          placeholder="Any status"
          data={STATUSES}
          value={status}
          onChange={(v) => setParam("status", v)}
          clearable
          w={160}
        />
        <TextInput label="Tag" value={tag} onChange={(e) => setParam("tag", e.currentTarget.value || null)} w={160} />
        <Select
          label="Trigger"
          placeholder="Any trigger"
          data={TRIGGERS}
          value={trigger}
          onChange={(v) => setParam("trigger", v)}
          clearable
          w={190}
        />
        {canEdit ? <NewJourneyButton /> : null}
      </Group>
      <ErrorLine message={describeError(error)} />
      {fetching && !data ? <Loading /> : null}
      {data && rows.length === 0 ? <Empty>No journey matches these filters.</Empty> : null}
      {rows.length ? (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Tags</Table.Th>
              <Table.Th>Trigger</Table.Th>
              <Table.Th ta="right">Entered</Table.Th>
              <Table.Th ta="right">In progress</Table.Th>
              <Table.Th ta="right">Converted</Table.Th>
              {canEdit ? <Table.Th>Actions</Table.Th> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((j) => (
              <Table.Tr key={j.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/journeys/${encodeURIComponent(j.id)}`} size="sm">
                    {j.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={j.status} />
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {j.tags.map((t) => (
                      <Badge key={t} variant="outline" color="gray" size="sm" styles={{ label: { color: "var(--mantine-color-dark-6)" } }}>
                        {t}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>{j.triggerKind}</Table.Td>
                <Table.Td ta="right">{formatNumber(j.stats.entered)}</Table.Td>
                <Table.Td ta="right">{formatNumber(j.stats.inProgress)}</Table.Td>
                <Table.Td ta="right">{formatNumber(j.stats.converted)}</Table.Td>
                {canEdit ? (
                  <Table.Td>
                    <JourneyActions journey={j} afterDelete={() => refetch({ requestPolicy: "network-only" })} />
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      {data ? (
        <Pager
          total={data.journeys.totalCount}
          pageInfo={data.journeys.pageInfo}
          cursors={cursors}
          onChange={setCursors}
          label="journeys"
        />
      ) : null}
    </Stack>
  );
}
