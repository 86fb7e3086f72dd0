import { Button, Group, List, Radio, Stack, TextInput } from "@mantine/core";
import { useState } from "react";
import { useNavigate } from "react-router";
import { useMutation } from "urql";
import { describeError } from "../../api/errors";
import { usePermissions } from "../../auth/session";
import { graphql } from "../../gql";
import type { JourneyStatus } from "../../gql/graphql";
import { ConfirmDialog } from "../../ui/ConfirmDialog";

const Activate = graphql(`
  mutation ActivateJourney($id: ID!) {
    activateJourney(id: $id) {
      journey {
        id
        status
        activatedAt
      }
      errors {
        code
        message
      }
    }
  }
`);
const Stop = graphql(`
  mutation StopJourney($id: ID!, $freeze: Boolean) {
    stopJourney(id: $id, freeze: $freeze) {
      journey {
        id
        status
      }
      errors {
        code
        message
      }
    }
  }
`);
const Clone = graphql(`
  mutation CloneJourney($id: ID!, $name: String) {
    cloneJourney(id: $id, name: $name) {
      journey {
        id
        name
      }
      errors {
        code
        message
      }
    }
  }
`);
const Delete = graphql(`
  mutation DeleteJourney($id: ID!) {
    deleteJourney(id: $id) {
      count
      errors {
        code
        message
      }
    }
  }
`);

export type JourneySummary = {
  id: string;
  name: string;
  status: JourneyStatus;
  freezeOnStop: boolean;
  problems?: readonly { severity: string; message: string; stepId?: string | null }[];
};

type Dialog = "activate" | "stop" | "clone" | "delete" | null;

/** Activate, stop, clone and delete, each confirmed; offered only to roles that may. */
export function JourneyActions({ journey, afterDelete }: { journey: JourneySummary; afterDelete?: () => void }) {
  const { canEdit } = usePermissions();
  const navigate = useNavigate();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [error, setError] = useState<string | null>(null);
  const [freeze, setFreeze] = useState<string>(journey.freezeOnStop ? "freeze" : "exit");
  const [cloneName, setCloneName] = useState(`${journey.name} (copy)`);
  const [activation, activate] = useMutation(Activate);
  const [stopping, stop] = useMutation(Stop);
  const [cloning, clone] = useMutation(Clone);
  const [deleting, remove] = useMutation(Delete);
  if (!canEdit) return null;

  const open = (which: Dialog) => {
    setError(null);
    setDialog(which);
  };
  const close = () => setDialog(null);
  const ctx = { additionalTypenames: ["Journey", "Entry"] };

  async function confirm() {
    const id = journey.id;
    if (dialog === "activate") {
      const r = await activate({ id }, ctx);
      const message = describeError(r.error, r.data?.activateJourney.errors);
      return message ? setError(message) : close();
    }
    if (dialog === "stop") {
      const r = await stop({ id, freeze: freeze === "freeze" }, ctx);
      const message = describeError(r.error, r.data?.stopJourney.errors);
      return message ? setError(message) : close();
    }
    if (dialog === "clone") {
      const r = await clone({ id, name: cloneName || null }, ctx);
      const message = describeError(r.error, r.data?.cloneJourney.errors);
      if (message) return setError(message);
      close();
      const copy = r.data?.cloneJourney.journey;
      if (copy) navigate(`/journeys/${encodeURIComponent(copy.id)}`);
      return;
    }
    if (dialog === "delete") {
      const r = await remove({ id }, ctx);
      const message = describeError(r.error, r.data?.deleteJourney.errors);
      if (message) return setError(message);
      close();
      afterDelete?.();
    }
  }

  const warnings = (journey.problems ?? []).filter((p) => p.severity === "WARNING");
  const errors = (journey.problems ?? []).filter((p) => p.severity === "ERROR");
  const canActivate = journey.status === "DRAFT" || journey.status === "STOPPED";
  const canDelete = journey.status === "DRAFT" || journey.status === "STOPPED";
  const busy = activation.fetching || stopping.fetching || cloning.fetching || deleting.fetching;
  const label = (verb: string) => `${verb} ${journey.name}`;

  return (
    <>
      <Group gap={4} wrap="nowrap">
        {canActivate ? (
          <Button variant="default" c="teal.9" onClick={() => open("activate")} aria-label={label("Activate")}>
            Activate
          </Button>
        ) : null}
        {journey.status === "ACTIVE" ? (
          <Button variant="default" c="red.9" onClick={() => open("stop")} aria-label={label("Stop")}>
            Stop
          </Button>
        ) : null}
        <Button variant="default" onClick={() => open("clone")} aria-label={label("Clone")}>
          Clone
        </Button>
        {canDelete ? (
          <Button variant="subtle" color="red" onClick={() => open("delete")} aria-label={label("Delete")}>
            Delete
          </Button>
        ) : null}
      </Group>
      <ConfirmDialog
        opened={dialog === "activate"}
        title={`Activate “${journey.name}”?`}
        confirmLabel="Activate"
        busy={busy}
        error={error}
        onConfirm={confirm}
        onClose={close}
      >
        <Stack gap="xs">
          <span>New users will enter it from now on.</span>
          {errors.length ? <span>It has errors that the server will refuse:</span> : null}
          {warnings.length ? <span>It can be activated with these warnings:</span> : null}
          {errors.length || warnings.length ? (
            <List size="sm">
              {[...errors, ...warnings].map((p, i) => (
                <List.Item key={i}>
                  {p.severity}: {p.stepId ? `${p.stepId}: ` : ""}
                  {p.message}
                </List.Item>
              ))}
            </List>
          ) : null}
        </Stack>
      </ConfirmDialog>
      <ConfirmDialog
        opened={dialog === "stop"}
        title={`Stop “${journey.name}”?`}
        confirmLabel="Stop journey"
        danger
        busy={busy}
        error={error}
        onConfirm={confirm}
        onClose={close}
      >
        <Radio.Group value={freeze} onChange={setFreeze} label="What happens to the entries running now">
          <Stack gap={6} mt={6}>
            <Radio value="freeze" label="Freeze them: they resume where they are when the journey is activated again" />
            <Radio value="exit" label="Exit them: they end now (status EXITED)" />
          </Stack>
        </Radio.Group>
      </ConfirmDialog>
      <ConfirmDialog
        opened={dialog === "clone"}
        title={`Clone “${journey.name}”`}
        confirmLabel="Clone"
        busy={busy}
        error={error}
        onConfirm={confirm}
        onClose={close}
      >
        <TextInput label="Name of the copy" value={cloneName} onChange={(e) => setCloneName(e.currentTarget.value)} />
      </ConfirmDialog>
      <ConfirmDialog
        opened={dialog === "delete"}
        title={`Delete “${journey.name}”?`}
        confirmLabel="Delete for good"
        danger
        busy={busy}
        error={error}
        onConfirm={confirm}
        onClose={close}
      >
        The journey, its versions, its entries and their history are deleted. This cannot be undone.
      </ConfirmDialog>
    </>
  );
}
