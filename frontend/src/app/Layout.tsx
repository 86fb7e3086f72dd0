import { AppShell, Badge, Button, Group, NavLink, ScrollArea, Text, Title } from "@mantine/core";
import { NavLink as RouterNavLink, Outlet, useLocation } from "react-router";
import { usePermissions, useSession } from "../auth/session";

const CATALOG = [
  ["resources", "Resources"],
  ["bonus-templates", "Bonus templates"],
  ["badges", "Badges"],
  ["missions", "Missions"],
  ["levels", "Levels"],
  ["leaderboard", "Leaderboard"],
] as const;

export function Layout() {
  const { operator, logOut } = useSession();
  const { isAdmin } = usePermissions();
  const { pathname } = useLocation();
  const link = (to: string, label: string) => (
    <NavLink
      key={to}
      component={RouterNavLink}
      to={to}
      label={label}
      active={pathname === to || pathname.startsWith(`${to}/`)}
    />
  );
  return (
    <AppShell header={{ height: 48 }} navbar={{ width: 200, breakpoint: 0 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Title order={1} size="h4">
            Questline
          </Title>
          <Group gap="sm">
            <Text size="sm" data-testid="operator-name">
              {operator?.username}
            </Text>
            <Badge variant="light" data-testid="operator-role">
              {operator?.role}
            </Badge>
            <Button variant="default" onClick={() => logOut()}>
              Log out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Main">
        <ScrollArea>
          {link("/journeys", "Journeys")}
          {link("/users", "Users")}
          {link("/communications", "Communications")}
          <Text size="xs" c="dimmed" tt="uppercase" fw={700} mt="md" mb={4} px="sm">
            Catalog
          </Text>
          {CATALOG.map(([slug, label]) => link(`/catalog/${slug}`, label))}
          {isAdmin ? link("/catalog/operators", "Operators") : null}
          <Text size="xs" c="dimmed" tt="uppercase" fw={700} mt="md" mb={4} px="sm">
            API
          </Text>
          <NavLink href="/graphql" label="GraphiQL" component="a" />
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
