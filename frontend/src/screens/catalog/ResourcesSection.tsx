import { Button, Group, Modal, Select, Stack, Table, Text, TextInput, Textarea } from "@mantine/core";
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { describeError } from "../../api/errors";
import { usePermissions } from "../../auth/session";
import { graphql } from "../../gql";
import type { Channel, ResourcesQuery } from "../../gql/graphql";
import { Empty, ErrorLine, Loading } from "../../ui/feedback";
import { formatTime } from "../../ui/format";
import { CHANNELS } from "../communications/CommunicationLog";
import { ResourcePreviewPanel } from "./ResourcePreviewPanel";

const ResourcesQueryDoc = graphql(`
  query Resources($channel: Channel) {
    resources(channel: $channel) {
      id
      name
      channel
      subject
      body
      createdAt
    }
  }
`);

const CreateResource = graphql(`
  mutation CreateResource($input: ResourceInput!) {
    createResource(input: $input) {
      resource {
        id
      }
      errors {
        code
        message
        field
      }
    }
  }
`);

const UpdateResource = graphql(`
  mutation UpdateResource($id: ID!, $input: ResourceInput!) {
    updateResource(id: $id, input: $input) {
      resource {
        id
        name
        channel
        subject
        body
      }
      errors {
        code
        message
        field
      }
    }
  }
`);

type Resource = ResourcesQuery["resources"][number];
type Draft = { id?: string; name: string; channel: Channel; subject: string; body: string };

export function ResourcesSection() {
  const { canEdit } = usePermissions();
  const [channel, setChannel] = useState<string | null>(null);
  const [{ data, fetching, error }] = useQuery({
    query: ResourcesQueryDoc,
    variables: { channel: (channel as Channel) || null },
  });
  const [editing, setEditing] = useState<Draft | null>(null);
  const [previewing, setPreviewing] = useState<Resource | null>(null);
  const open = (r?: Resource) =>
    setEditing(
      r
        ? { id: r.id, name: r.name, channel: r.channel, subject: r.subject ?? "", body: r.body }
        : { name: "", channel: "EMAIL", subject: "", body: "" },
    );
  const rows = data?.resources ?? [];
  return (
    <Stack gap="xs">
      <Group justify="space-between" align="flex-end">
        <Select label="Channel" placeholder="Any channel" data={CHANNELS} value={channel} onChange={setChannel} clearable w={160} />
        {canEdit ? <Button onClick={() => open()}>New resource</Button> : null}
      </Group>
      <ErrorLine message={describeError(error)} />
      {fetching && !data ? <Loading /> : null}
      {data && !rows.length ? <Empty>No resource yet.</Empty> : null}
      {rows.length ? (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Channel</Table.Th>
              <Table.Th>Subject or title</Table.Th>
              <Table.Th>Text</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{r.name}</Table.Td>
                <Table.Td>{r.channel}</Table.Td>
                <Table.Td>{r.subject ?? "—"}</Table.Td>
                <Table.Td maw={380}>
                  <Text size="sm" lineClamp={2}>
                    {r.body}
                  </Text>
                </Table.Td>
                <Table.Td>{formatTime(r.createdAt)}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button variant="subtle" onClick={() => setPreviewing(r)} aria-label={`Preview ${r.name} for a user`}>
                      Preview
                    </Button>
                    {canEdit ? (
                      <Button variant="default" onClick={() => open(r)} aria-label={`Edit ${r.name}`}>
                        Edit
                      </Button>
                    ) : null}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      {editing ? <ResourceForm draft={editing} onClose={() => setEditing(null)} /> : null}
      <Modal opened={!!previewing} onClose={() => setPreviewing(null)} title={`Preview of ${previewing?.name ?? ""}`} size="lg">
        {previewing ? (
          <ResourcePreviewPanel channel={previewing.channel} subject={previewing.subject ?? ""} body={previewing.body} />
        ) : null}
      </Modal>
    </Stack>
  );
}

function ResourceForm({ draft, onClose }: { draft: Draft; onClose(): void }) {
  const [form, setForm] = useState<Draft>(draft);
  const [error, setError] = useState<string | null>(null);
  const [creating, create] = useMutation(CreateResource);
  const [updating, update] = useMutation(UpdateResource);
  const set = (patch: Partial<Draft>) => setForm((f) => ({ ...f, ...patch }));
  const hasSubject = form.channel === "EMAIL" || form.channel === "POPUP" || form.channel === "PUSH";

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const input = { name: form.name, channel: form.channel, subject: hasSubject ? form.subject || null : null, body: form.body };
    const ctx = { additionalTypenames: ["Resource"] };
    const r = form.id ? await update({ id: form.id, input }, ctx) : await create({ input }, ctx);
    const payload = r.data && ("updateResource" in r.data ? r.data.updateResource : r.data.createResource);
    const message = describeError(r.error, payload?.errors);
    if (message) return setError(message);
    onClose();
  }

  return (
    <Modal opened onClose={onClose} title={form.id ? `Edit ${draft.name}` : "New resource"} size="lg">
      <form onSubmit={submit}>
        <Stack gap="xs">
          <TextInput label="Name" value={form.name} onChange={(e) => set({ name: e.currentTarget.value })} required />
          <Select
            label="Channel"
            data={CHANNELS}
            value={form.channel}
            onChange={(v) => v && set({ channel: v as Channel })}
            allowDeselect={false}
            comboboxProps={{ withinPortal: false }}
          />
          {hasSubject ? (
            <TextInput
              label={form.channel === "EMAIL" ? "Subject" : "Title"}
              value={form.subject}
              onChange={(e) => set({ subject: e.currentTarget.value })}
            />
          ) : null}
          <Textarea
            label="Text"
            description="{{ user.username }}, {{ user.attributes.x }} and {{ event.properties.x }} are filled in for each user."
            value={form.body}
            onChange={(e) => set({ body: e.currentTarget.value })}
            autosize
            minRows={5}
            required
          />
          <ResourcePreviewPanel channel={form.channel} subject={hasSubject ? form.subject : ""} body={form.body} />
          <ErrorLine message={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={creating.fetching || updating.fetching}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
