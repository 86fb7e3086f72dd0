import { BarChart } from "@mantine/charts";
import "@mantine/charts/styles.css";
import { Badge, Group, NumberInput, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useQuery } from "urql";
import { describeError } from "../../api/errors";
import { graphql } from "../../gql";
import type { Period } from "../../gql/graphql";
import { ErrorLine, Loading } from "../../ui/feedback";
import { formatNumber, formatPercent } from "../../ui/format";
import { PERIODS } from "../../ui/periods";

const ReportsQuery = graphql(`
  query JourneyReports($id: ID!, $period: Period, $round: Int) {
    journey(id: $id) {
      id
      stats(period: $period) {
        entered
        completed
        converted
        stopped
        exited
        failed
        errors
        inProgress
      }
      funnel(period: $period, round: $round) {
        status
        step
        count
      }
      controlGroupReport(period: $period) {
        treatment {
          entries
          conversions
          conversionRate
        }
        control {
          entries
          conversions
          conversionRate
        }
        uplift
        upliftLow
        upliftHigh
        significant
      }
      communicationStats(period: $period) {
        channel
        queued
        sent
        delivered
        opened
        machineOpened
        clicked
        failed
        suppressed
        resource {
          id
          name
        }
      }
    }
  }
`);

/** Period statistics, the funnel per round, treatment against control, the channel report. */
export default function ReportsTab({ journeyId }: { journeyId: string }) {
  const [period, setPeriod] = useState<string>("LAST_30_DAYS");
  const [round, setRound] = useState<number | string>("");
  const [{ data, fetching, error }] = useQuery({
    query: ReportsQuery,
    variables: {
      id: journeyId,
      period: period === "ALL" ? null : (period as Period),
      round: typeof round === "number" ? round : null,
    },
  });
  const j = data?.journey;
  return (
    <Stack gap="sm">
      <Group align="flex-end">
        <Stack gap={2}>
          <Text size="xs" fw={500} id="report-period">
            Period
          </Text>
          <SegmentedControl
            aria-labelledby="report-period"
            value={period}
            onChange={setPeriod}
            data={[...PERIODS, { value: "ALL", label: "All time" }]}
          />
        </Stack>
        <NumberInput label="Funnel round (empty: all)" value={round} onChange={setRound} min={1} w={180} />
      </Group>
      <ErrorLine message={describeError(error)} />
      {fetching && !data ? <Loading /> : null}
      {j ? (
        <>
          <SimpleGrid cols={{ base: 2, sm: 4, lg: 8 }} spacing="xs">
            {(
              [
                ["Entered", j.stats.entered],
                ["In progress", j.stats.inProgress],
                ["Completed", j.stats.completed],
                ["Converted", j.stats.converted],
                ["Stopped", j.stats.stopped],
                ["Exited", j.stats.exited],
                ["Failed", j.stats.failed],
                ["Step errors", j.stats.errors],
              ] as const
            ).map(([label, value]) => (
              <Paper key={label} withBorder p="xs">
                <Text size="xs" c="dimmed">
                  {label}
                </Text>
                <Text fw={700} size="lg" data-testid={`stat-${label}`}>
                  {formatNumber(value)}
                </Text>
              </Paper>
            ))}
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <Paper withBorder p="sm">
              <Title order={3} size="h5" mb="xs">
                Funnel{typeof round === "number" ? `, round ${round}` : ""}
              </Title>
              <BarChart
                h={220}
                data={j.funnel.map((r) => ({ status: r.status, entries: r.count }))}
                dataKey="status"
                series={[{ name: "entries", color: "indigo.6" }]}
                withBarValueLabel
                role="img"
                aria-label="Funnel: entries that reached at least each status"
              />
            </Paper>
            <Paper withBorder p="sm">
              <Title order={3} size="h5" mb="xs">
                Treatment against control
              </Title>
              <ControlGroup report={j.controlGroupReport} />
            </Paper>
          </SimpleGrid>
          <Paper withBorder p="sm">
            <Title order={3} size="h5" mb="xs">
              Channel report
            </Title>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Resource</Table.Th>
                  <Table.Th>Channel</Table.Th>
                  {["Queued", "Sent", "Delivered", "Opened", "Machine opens", "Clicked", "Failed", "Suppressed"].map((h) => (
                    <Table.Th key={h} ta="right">
                      {h}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {j.communicationStats.map((r) => (
                  <Table.Tr key={r.resource.id}>
                    <Table.Td>{r.resource.name}</Table.Td>
                    <Table.Td>{r.channel}</Table.Td>
                    {[r.queued, r.sent, r.delivered, r.opened, r.machineOpened, r.clicked, r.failed, r.suppressed].map((v, i) => (
                      <Table.Td key={i} ta="right">
                        {formatNumber(v)}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {j.communicationStats.length === 0 ? (
              <Text size="sm" c="dimmed">
                No message in this period.
              </Text>
            ) : null}
          </Paper>
        </>
      ) : null}
    </Stack>
  );
}

type GroupOutcome = { entries: number; conversions: number; conversionRate: number };
type Report = {
  treatment: GroupOutcome;
  control: GroupOutcome;
  uplift?: number | null;
  upliftLow?: number | null;
  upliftHigh?: number | null;
  significant: boolean;
};

function ControlGroup({ report }: { report: Report }) {
  const data = [
    { group: "Treatment", rate: +(report.treatment.conversionRate * 100).toFixed(2) },
    { group: "Control", rate: +(report.control.conversionRate * 100).toFixed(2) },
  ];
  return (
    <Stack gap="xs">
      <BarChart
        h={150}
        data={data}
        dataKey="group"
        orientation="vertical"
        yAxisProps={{ width: 80 }}
        series={[{ name: "rate", label: "Conversion %", color: "teal.6" }]}
        withBarValueLabel
        valueFormatter={(v) => `${v}%`}
        barChartProps={{ margin: { right: 48 } }}
        role="img"
        aria-label="Conversion rate of treatment and control"
      />
      <Text size="sm">
        Treatment {formatNumber(report.treatment.conversions)} of {formatNumber(report.treatment.entries)} converted (
        {formatPercent(report.treatment.conversionRate)}); control {formatNumber(report.control.conversions)} of{" "}
        {formatNumber(report.control.entries)} ({formatPercent(report.control.conversionRate)}).
      </Text>
      <Group gap="xs">
        <Text size="sm" data-testid="uplift">
          Uplift {report.uplift == null ? "—" : formatPercent(report.uplift, 2)}
          {report.upliftLow != null && report.upliftHigh != null
            ? `, 95% interval ${formatPercent(report.upliftLow, 2)} to ${formatPercent(report.upliftHigh, 2)}`
            : ""}
        </Text>
        <Badge color={report.significant ? "green" : "gray"} variant="light" styles={{ label: { color: "var(--mantine-color-dark-8)" } }}>
          {report.significant ? "significant" : "not significant"}
        </Badge>
      </Group>
    </Stack>
  );
}
