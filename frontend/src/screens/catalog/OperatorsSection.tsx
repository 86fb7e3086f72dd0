import { Badge, Button, Group, Modal, PasswordInput, Select, Stack, Table, TagsInput, TextInput } from "@mantine/core";
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { describeError } from "../../api/errors";
import { graphql } from "../../gql";
import type { Role } from "../../gql/graphql";
import { ErrorLine, Loading } from "../../ui/feedback";

const OperatorsQuery = graphql(`
  query Operators {
    operators {
      id
      username
      role
      accessGroups
    }
  }
`);
const CreateOperator = graphql(`
  mutation CreateOperator($input: OperatorInput!) {
    createOperator(input: $input) {
      operator {
        id
      }
      errors {
        code
        message
      }
    }
  }
`);

/** Backoffice operators (ADMIN only; the menu offers it to no one else). */
export function OperatorsSection() {
  const [{ data, fetching, error }] = useQuery({ query: OperatorsQuery });
  const [opened, setOpened] = useState(false);
  const [form, setForm] = useState({ username: "", password: "", role: "ANALYST" as Role, accessGroups: [] as string[] });
  const [formError, setFormError] = useState<string | null>(null);
  const [state, create] = useMutation(CreateOperator);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const r = await create({ input: form }, { additionalTypenames: ["Operator"] });
    const message = describeError(r.error, r.data?.createOperator.errors);
    if (message) return setFormError(message);
    setOpened(false);
    setForm({ username: "", password: "", role: "ANALYST", accessGroups: [] });
  }
  return (
    <Stack gap="xs">
      <Group justify="flex-end">
        <Button onClick={() => { setFormError(null); setOpened(true); }}>New operator</Button>
      </Group>
      <ErrorLine message={describeError(error)} />
      {fetching && !data ? <Loading /> : null}
      <Table striped maw={720}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Username</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Access groups</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(data?.operators ?? []).map((o) => (
            <Table.Tr key={o.id}>
              <Table.Td>{o.username}</Table.Td>
              <Table.Td>{o.role}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {o.accessGroups.length
                    ? o.accessGroups.map((g) => (
                        <Badge key={g} variant="outline" color="gray" styles={{ label: { color: "var(--mantine-color-dark-6)" } }}>
                          {g}
                        </Badge>
                      ))
                    : "all journeys without groups"}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal opened={opened} onClose={() => setOpened(false)} title="New operator">
        <form onSubmit={submit}>
          <Stack gap="xs">
            <TextInput label="Username" value={form.username} onChange={(e) => setForm({ ...form, username: e.currentTarget.value })} required />
            <PasswordInput
              label="Password"
              value={form.password}
              onChange={(e) => setForm({ ...form, password: e.currentTarget.value })}
              autoComplete="new-password"
              required
            />
            <Select
              label="Role"
              data={["ADMIN", "MANAGER", "ANALYST"]}
              value={form.role}
              onChange={(v) => v && setForm({ ...form, role: v as Role })}
              allowDeselect={false}
              comboboxProps={{ withinPortal: false }}
            />
            <TagsInput
              label="Access groups"
              description="Press Enter after each group."
              value={form.accessGroups}
              onChange={(accessGroups) => setForm({ ...form, accessGroups })}
            />
            <ErrorLine message={formError} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpened(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={state.fetching}>
                Create
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}
