import { Badge } from "@mantine/core";

const COLORS: Record<string, string> = {
  DRAFT: "gray",
  ACTIVE: "green",
  STOPPED: "orange",
  ARCHIVED: "dark",
  WAITING: "blue",
  HALTED: "red",
  FROZEN: "cyan",
  COMPLETED: "teal",
  EXITED: "grape",
  FAILED: "red",
  QUEUED: "gray",
  SENDING: "blue",
  SENT: "blue",
  DELIVERED: "teal",
  BOUNCED: "red",
  SUPPRESSED: "yellow",
  PENDING: "gray",
  GRANTED: "teal",
  CANCELLED: "yellow",
};

// Badge text is dark on a light fill so its contrast passes WCAG AA.
export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge color={COLORS[status] ?? "gray"} variant="light" autoContrast styles={{ root: { minWidth: "max-content" }, label: { color: "var(--mantine-color-dark-8)" } }}>
      {status}
    </Badge>
  );
}
