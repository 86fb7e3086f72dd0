import { Button, Group, Text } from "@mantine/core";

type PageInfo = { hasNextPage: boolean; endCursor?: string | null };

/**
 * Keyset pages: the cursors of the pages seen so far are kept, so Previous goes back
 * without the server having to page backwards.
 */
export function Pager({
  total,
  pageInfo,
  cursors,
  onChange,
  label,
}: {
  total: number;
  pageInfo: PageInfo | undefined;
  cursors: (string | null)[];
  onChange(cursors: (string | null)[]): void;
  label: string;
}) {
  const page = cursors.length;
  return (
    <Group justify="space-between" mt="xs">
      <Text size="sm" c="dimmed">
        {total.toLocaleString("en-GB")} {label} · page {page}
      </Text>
      <Group gap="xs">
        <Button variant="default" disabled={page <= 1} onClick={() => onChange(cursors.slice(0, -1))}>
          Previous page
        </Button>
        <Button
          variant="default"
          disabled={!pageInfo?.hasNextPage}
          onClick={() => onChange([...cursors, pageInfo?.endCursor ?? null])}
        >
          Next page
        </Button>
      </Group>
    </Group>
  );
}
