import { Button, Stack, TextInput } from "@mantine/core";
import { useState } from "react";
import { useNavigate } from "react-router";
import { useMutation } from "urql";
import { describeError } from "../../api/errors";
import { graphql } from "../../gql";
import { ConfirmDialog } from "../../ui/ConfirmDialog";

const Create = graphql(`
  mutation NewJourney($input: JourneyInput!) {
    createJourney(input: $input) {
      journey {
        id
      }
      errors {
        code
        message
      }
    }
  }
`);

/** Creates an empty DRAFT journey (entered through the API until its trigger is set) and opens it in the editor. */
export function NewJourneyButton() {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [state, create] = useMutation(Create);
  const navigate = useNavigate();
  return (
    <>
      <Button onClick={() => setOpen(true)}>New journey</Button>
      <ConfirmDialog
        opened={open}
        title="New journey"
        confirmLabel="Create and edit"
        busy={state.fetching}
        error={error}
        onClose={() => setOpen(false)}
        onConfirm={async () => {
          const r = await create({ input: { name: name.trim(), definition: { trigger: { kind: "API" }, steps: [] } } });
          const message = describeError(r.error, r.data?.createJourney.errors);
          if (message) {
            setError(message);
            return;
          }
          const id = r.data?.createJourney.journey?.id;
          if (id) navigate(`/journeys/${encodeURIComponent(id)}/edit`);
        }}
      >
        <Stack>
          <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
        </Stack>
      </ConfirmDialog>
    </>
  );
}
