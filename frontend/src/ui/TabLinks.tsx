import { Button, Group } from "@mantine/core";
import { Link } from "react-router";

/** Tabs that are links: each tab has its own address, so it can be shared and reloaded. */
export function TabLinks({ tabs, active, label }: { tabs: readonly (readonly [string, string])[]; active: string; label: string }) {
  return (
    <Group gap={4} component="nav" aria-label={label} style={{ borderBottom: "1px solid var(--mantine-color-gray-3)" }} pb={4}>
      {tabs.map(([to, text]) => {
        const current = to === active;
        return (
          <Button
            key={to}
            component={Link}
            to={to}
            variant={current ? "filled" : "subtle"}
            aria-current={current ? "page" : undefined}
            size="compact-sm"
          >
            {text}
          </Button>
        );
      })}
    </Group>
  );
}
