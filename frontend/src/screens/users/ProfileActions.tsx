import { Button, NumberInput, Popover, Select, Stack, TextInput } from "@mantine/core";
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { describeError } from "../../api/errors";
import { graphql } from "../../gql";
import { ErrorLine } from "../../ui/feedback";

const AdjustPointsMutation = graphql(`
  mutation AdjustPoints($externalId: String!, $amount: Int!, $reason: String!) {
    adjustPoints(externalId: $externalId, amount: $amount, reason: $reason) {
      gamification {
        points
      }
      errors {
        code
        message
      }
    }
  }
`);

const GrantBonusMutation = graphql(`
  mutation GrantBonus($externalId: String!, $templateId: ID!, $requestId: String!) {
    grantBonus(externalId: $externalId, templateId: $templateId, requestId: $requestId) {
      bonus {
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

const TemplatesQuery = graphql(`
  query BonusTemplateChoices {
    bonusTemplates {
      id
      name
      kind
      amount
      currency
    }
  }
`);

const REFRESH = { additionalTypenames: ["User", "Bonus", "GamificationFacts"] };

export function AdjustPoints({ externalId }: { externalId: string }) {
  const [opened, setOpened] = useState(false);
  const [amount, setAmount] = useState<number | string>("");
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [{ fetching }, adjust] = useMutation(AdjustPointsMutation);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const r = await adjust({ externalId, amount: Number(amount), reason }, REFRESH);
    const message = describeError(r.error, r.data?.adjustPoints.errors);
    if (message) return setError(message);
    setOpened(false);
    setAmount("");
    setReason("");
  }
  return (
    <Popover opened={opened} onChange={setOpened} trapFocus position="bottom-end" withArrow>
      <Popover.Target>
        <Button variant="default" onClick={() => { setError(null); setOpened((o) => !o); }}>
          Adjust points
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <form onSubmit={submit}>
          <Stack gap="xs" w={260}>
            <NumberInput label="Points (negative to take away)" value={amount} onChange={setAmount} required allowDecimal={false} />
            <TextInput label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} required />
            <ErrorLine message={error} />
            <Button type="submit" loading={fetching}>
              Save the adjustment
            </Button>
          </Stack>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}

function newRequestId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function GrantBonus({ externalId }: { externalId: string }) {
  const [opened, setOpened] = useState(false);
  const [templateId, setTemplateId] = useState<string | null>(null);
  // One request id per opening of the form: a double click grants once.
  const [requestId, setRequestId] = useState(newRequestId);
  const [error, setError] = useState<string | null>(null);
  const [{ data }] = useQuery({ query: TemplatesQuery, pause: !opened });
  const [{ fetching }, grant] = useMutation(GrantBonusMutation);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!templateId) return setError("Choose a bonus template.");
    const r = await grant({ externalId, templateId, requestId }, REFRESH);
    const message = describeError(r.error, r.data?.grantBonus.errors);
    if (message) return setError(message);
    setOpened(false);
  }
  return (
    <Popover opened={opened} onChange={setOpened} trapFocus position="bottom-end" withArrow>
      <Popover.Target>
        <Button
          variant="default"
          onClick={() => {
            setError(null);
            setRequestId(newRequestId());
            setOpened((o) => !o);
          }}
        >
          Grant a bonus
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <form onSubmit={submit}>
          <Stack gap="xs" w={280}>
            <Select
              label="Bonus template"
              data={(data?.bonusTemplates ?? []).map((t) => ({
                value: t.id,
                label: `${t.name} (${t.kind} ${t.amount}${t.currency ? ` ${t.currency}` : ""})`,
              }))}
              value={templateId}
              onChange={setTemplateId}
              comboboxProps={{ withinPortal: false }}
            />
            <ErrorLine message={error} />
            <Button type="submit" loading={fetching}>
              Grant it
            </Button>
          </Stack>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}
