import { Button, Group, Paper, Stack, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import { useClient } from "urql";
import { describeError } from "../../api/errors";
import { graphql } from "../../gql";
import type { Channel } from "../../gql/graphql";
import { ErrorLine } from "../../ui/feedback";

const PreviewQuery = graphql(`
  query PreviewResource($input: ResourceInput!, $externalId: String!) {
    previewResource(input: $input, externalId: $externalId) {
      subject
      body
      error
    }
  }
`);

type Shown = { subject?: string | null; body?: string | null };

/** The text as one chosen user would get it, rendered by the server as delivery does. */
export function ResourcePreviewPanel({ channel, subject, body }: { channel: Channel; subject: string; body: string }) {
  const client = useClient();
  const [externalId, setExternalId] = useState("");
  const [shown, setShown] = useState<Shown | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function preview() {
    setBusy(true);
    setError(null);
    setShown(null);
    const input = { name: "preview", channel, subject: subject || null, body };
    const r = await client.query(PreviewQuery, { input, externalId }, { requestPolicy: "network-only" }).toPromise();
    setBusy(false);
    const result = r.data?.previewResource;
    const message = describeError(r.error) ?? result?.error ?? null;
    if (message) return setError(message);
    setShown(result ?? null);
  }

  return (
    <Stack gap={6}>
      <Group align="flex-end" gap="xs">
        <TextInput
          label="Preview for the user with external id"
          value={externalId}
          onChange={(e) => setExternalId(e.currentTarget.value)}
          w={260}
        />
        <Button variant="default" onClick={preview} loading={busy} disabled={!externalId.trim() || !body.trim()}>
          Preview
        </Button>
      </Group>
      <ErrorLine message={error} />
      {shown ? (
        <Paper withBorder p="xs" data-testid="resource-preview">
          {shown.subject ? (
            <Text size="sm" fw={600}>
              {shown.subject}
            </Text>
          ) : null}
          <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
            {shown.body}
          </Text>
        </Paper>
      ) : null}
    </Stack>
  );
}
