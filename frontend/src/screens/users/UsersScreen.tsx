import { Anchor, Stack, Table, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useQuery } from "urql";
import { describeError } from "../../api/errors";
import { graphql } from "../../gql";
import { Empty, ErrorLine, Loading } from "../../ui/feedback";
import { formatNumber, formatTime } from "../../ui/format";
import { Pager } from "../../ui/Pager";

const UsersQuery = graphql(`
  query Users($search: String, $after: String) {
    users(search: $search, first: 50, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          externalId
          username
          email
          phone
          timezone
          createdAt
          financial {
            depositCount
            depositTotal
          }
        }
      }
    }
  }
`);

export default function UsersScreen() {
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get("search") ?? "");
  const [debounced] = useDebouncedValue(search, 300);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [{ data, fetching, error }] = useQuery({
    query: UsersQuery,
    variables: { search: debounced || null, after: cursors[cursors.length - 1] },
  });
  const rows = data?.users.edges.map((e) => e.node) ?? [];
  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        Users
      </Title>
      <TextInput
        label="Find a user by username, external id, email or phone"
        value={search}
        onChange={(e) => {
          const value = e.currentTarget.value;
          setSearch(value);
          setCursors([null]);
          setParams(value ? { search: value } : {}, { replace: true });
        }}
        w={360}
      />
      <ErrorLine message={describeError(error)} />
      {fetching && !data ? <Loading /> : null}
      {data && !rows.length ? <Empty>No user matches.</Empty> : null}
      {rows.length ? (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Username</Table.Th>
              <Table.Th>External id</Table.Th>
              <Table.Th>Email</Table.Th>
              <Table.Th>Phone</Table.Th>
              <Table.Th>Time zone</Table.Th>
              <Table.Th ta="right">Deposits</Table.Th>
              <Table.Th>Since</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((u) => (
              <Table.Tr key={u.id} data-testid="user-row">
                <Table.Td>
                  <Anchor component={Link} to={`/users/${encodeURIComponent(u.id)}`} size="sm">
                    {u.username ?? u.externalId}
                  </Anchor>
                </Table.Td>
                <Table.Td>{u.externalId}</Table.Td>
                <Table.Td>{u.email ?? "—"}</Table.Td>
                <Table.Td>{u.phone ?? "—"}</Table.Td>
                <Table.Td>{u.timezone ?? "—"}</Table.Td>
                <Table.Td ta="right">
                  {u.financial.depositCount} · {formatNumber(u.financial.depositTotal, 2)}
                </Table.Td>
                <Table.Td>{formatTime(u.createdAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      {data ? (
        <Pager total={data.users.totalCount} pageInfo={data.users.pageInfo} cursors={cursors} onChange={setCursors} label="users" />
      ) : null}
    </Stack>
  );
}
