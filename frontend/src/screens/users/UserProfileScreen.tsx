import { Anchor, Badge, Code, Grid, Group, Paper, Progress, Stack, Table, Tabs, Text, Title } from "@mantine/core";
import { Link, useParams } from "react-router";
import { useQuery } from "urql";
import { describeError } from "../../api/errors";
import { usePermissions } from "../../auth/session";
import { graphql } from "../../gql";
import { Empty, ErrorLine, Loading } from "../../ui/feedback";
import { formatNumber, formatTime } from "../../ui/format";
import { StatusBadge } from "../../ui/StatusBadge";
import { AdjustPoints, GrantBonus } from "./ProfileActions";

const ProfileQuery = graphql(`
  query UserProfile($id: ID!) {
    user(id: $id) {
      id
      externalId
      username
      email
      phone
      timezone
      attributes
      optOuts
      createdAt
      financial {
        depositCount
        depositTotal
        withdrawalTotal
        lastDepositAt
      }
      gamification {
        points
        level {
          name
          threshold
        }
        badges {
          awardedAt
          badge {
            id
            name
            description
          }
        }
        missions {
          progress
          target
          completedAt
          mission {
            id
            name
          }
        }
      }
      bonuses {
        id
        status
        error
        createdAt
        grantedAt
        template {
          id
          name
          kind
          amount
          currency
        }
      }
      entries(first: 50) {
        totalCount
        edges {
          node {
            id
            status
            round
            enteredAt
            convertedAt
            stoppedAt
            currentStepId
            inControlGroup
            journey {
              id
              name
            }
          }
        }
      }
      events(first: 50) {
        totalCount
        edges {
          node {
            id
            name
            occurredAt
            properties
          }
        }
      }
      communications(first: 50) {
        totalCount
        edges {
          node {
            id
            channel
            status
            queuedAt
            firstOpenAt
            firstClickAt
            resource {
              id
              name
            }
            journey {
              id
              name
            }
          }
        }
      }
    }
  }
`);

/** The marketing profile: who the player is, what they did, what they got. */
export default function UserProfileScreen() {
  const { userId = "" } = useParams();
  const { canEdit } = usePermissions();
  const [{ data, fetching, error }] = useQuery({ query: ProfileQuery, variables: { id: userId } });
  if (fetching && !data) return <Loading />;
  const user = data?.user;
  if (!user) return <ErrorLine message={describeError(error) ?? "There is no user with this id."} />;
  const g = user.gamification;
  const attributes = Object.entries((user.attributes ?? {}) as Record<string, unknown>);

  return (
    <Stack gap="sm">
      <Group gap="xs">
        <Anchor component={Link} to="/users" size="sm">
          Users
        </Anchor>
        <Text size="sm" c="dimmed">
          /
        </Text>
      </Group>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={2} size="h3">
            {user.username ?? user.externalId}
          </Title>
          <Text size="sm">
            External id {user.externalId} · {user.email ?? "no email"} · {user.phone ?? "no phone"} · {user.timezone ?? "server time zone"} ·
            since {formatTime(user.createdAt)}
          </Text>
          {user.optOuts.length ? <Text size="sm">Opted out of: {user.optOuts.join(", ")}</Text> : null}
        </Stack>
        {canEdit ? (
          <Group gap="xs" align="flex-start">
            <AdjustPoints externalId={user.externalId} />
            <GrantBonus externalId={user.externalId} />
          </Group>
        ) : null}
      </Group>
      <Grid>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Paper withBorder p="sm" h="100%">
            <Title order={3} size="h5">
              Gamification
            </Title>
            <Text size="sm" data-testid="points">
              {formatNumber(g.points)} points · level {g.level ? `${g.level.name} (from ${g.level.threshold})` : "none"}
            </Text>
            <Group gap={4} mt={4}>
              {g.badges.map((b) => (
                <Badge key={b.badge.id} variant="light" title={`awarded ${formatTime(b.awardedAt)}`} styles={{ label: { color: "var(--mantine-color-dark-8)" } }}>
                  {b.badge.name}
                </Badge>
              ))}
              {g.badges.length ? null : <Text size="xs">No badge yet.</Text>}
            </Group>
            {g.missions.map((m) => (
              <Stack key={m.mission.id} gap={0} mt={6}>
                <Text size="xs">
                  {m.mission.name}: {formatNumber(m.progress)} / {formatNumber(m.target)}
                  {m.completedAt ? ` · done ${formatTime(m.completedAt)}` : ""}
                </Text>
                <Progress value={Math.min(100, (m.progress / (m.target || 1)) * 100)} size="sm" aria-label={`${m.mission.name} progress`} />
              </Stack>
            ))}
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Paper withBorder p="sm" h="100%">
            <Title order={3} size="h5">
              Financial
            </Title>
            <Text size="sm">
              {user.financial.depositCount} deposits, {formatNumber(user.financial.depositTotal, 2)} in all
            </Text>
            <Text size="sm">Withdrawn {formatNumber(user.financial.withdrawalTotal, 2)}</Text>
            <Text size="sm">Last deposit {formatTime(user.financial.lastDepositAt)}</Text>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Paper withBorder p="sm" h="100%">
            <Title order={3} size="h5">
              Attributes
            </Title>
            {attributes.length ? (
              attributes.map(([k, v]) => (
                <Text size="sm" key={k}>
                  {k}: <Code>{JSON.stringify(v)}</Code>
                </Text>
              ))
            ) : (
              <Text size="sm">None.</Text>
            )}
          </Paper>
        </Grid.Col>
      </Grid>
      <Tabs defaultValue="journeys">
        <Tabs.List>
          <Tabs.Tab value="journeys">Journeys ({user.entries.totalCount})</Tabs.Tab>
          <Tabs.Tab value="events">Events ({user.events.totalCount})</Tabs.Tab>
          <Tabs.Tab value="communications">Communications ({user.communications.totalCount})</Tabs.Tab>
          <Tabs.Tab value="bonuses">Bonuses ({user.bonuses.length})</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="journeys" pt="xs">
          <Latest shown={user.entries.edges.length} total={user.entries.totalCount} what="entries" />
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Journey</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Step now</Table.Th>
                <Table.Th>Entered</Table.Th>
                <Table.Th>Converted</Table.Th>
                <Table.Th>Ended</Table.Th>
                <Table.Th>Path</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {user.entries.edges.map(({ node: e }) => (
                <Table.Tr key={e.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/journeys/${encodeURIComponent(e.journey.id)}`} size="sm">
                      {e.journey.name}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      round {e.round}
                      {e.inControlGroup ? " · control group" : ""}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={e.status} />
                  </Table.Td>
                  <Table.Td>{e.currentStepId ?? "—"}</Table.Td>
                  <Table.Td>{formatTime(e.enteredAt)}</Table.Td>
                  <Table.Td>{formatTime(e.convertedAt)}</Table.Td>
                  <Table.Td>{formatTime(e.stoppedAt)}</Table.Td>
                  <Table.Td>
                    <Anchor
                      component={Link}
                      size="sm"
                      to={`/journeys/${encodeURIComponent(e.journey.id)}/entries/${encodeURIComponent(e.id)}`}
                      aria-label={`Open path in ${e.journey.name}, round ${e.round}`}
                    >
                      Open path
                    </Anchor>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {user.entries.totalCount ? null : <Empty>Never entered a journey.</Empty>}
        </Tabs.Panel>
        <Tabs.Panel value="events" pt="xs">
          <Latest shown={user.events.edges.length} total={user.events.totalCount} what="events" />
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Event</Table.Th>
                <Table.Th>Properties</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {user.events.edges.map(({ node: ev }) => (
                <Table.Tr key={ev.id}>
                  <Table.Td>{formatTime(ev.occurredAt)}</Table.Td>
                  <Table.Td>{ev.name}</Table.Td>
                  <Table.Td>
                    <Code>{JSON.stringify(ev.properties)}</Code>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Tabs.Panel>
        <Tabs.Panel value="communications" pt="xs">
          <Latest shown={user.communications.edges.length} total={user.communications.totalCount} what="messages" />
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Queued</Table.Th>
                <Table.Th>Resource</Table.Th>
                <Table.Th>Journey</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Opened</Table.Th>
                <Table.Th>Clicked</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {user.communications.edges.map(({ node: c }) => (
                <Table.Tr key={c.id}>
                  <Table.Td>{formatTime(c.queuedAt)}</Table.Td>
                  <Table.Td>
                    {c.resource.name} ({c.channel})
                  </Table.Td>
                  <Table.Td>{c.journey?.name ?? "—"}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={c.status} />
                  </Table.Td>
                  <Table.Td>{formatTime(c.firstOpenAt)}</Table.Td>
                  <Table.Td>{formatTime(c.firstClickAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Tabs.Panel>
        <Tabs.Panel value="bonuses" pt="xs">
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Created</Table.Th>
                <Table.Th>Bonus</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Granted</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {user.bonuses.map((b) => (
                <Table.Tr key={b.id}>
                  <Table.Td>{formatTime(b.createdAt)}</Table.Td>
                  <Table.Td>
                    {b.template.name} ({b.template.kind} {formatNumber(b.template.amount, 2)} {b.template.currency ?? ""})
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={b.status} />
                    {b.error ? <Text size="xs">{b.error}</Text> : null}
                  </Table.Td>
                  <Table.Td>{formatTime(b.grantedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function Latest({ shown, total, what }: { shown: number; total: number; what: string }) {
  if (shown >= total) return null;
  return (
    <Text size="xs" c="dimmed" mb={4}>
      The latest {shown} of {total.toLocaleString("en-GB")} {what}.
    </Text>
  );
}
