import { Anchor, Badge, Group, Stack, Text, Title } from "@mantine/core";
import { lazy, Suspense } from "react";
import { Link, Route, Routes, useLocation, useNavigate, useParams } from "react-router";
import { useQuery } from "urql";
import { describeError } from "../../api/errors";
import { usePermissions } from "../../auth/session";
import { ErrorLine, Loading } from "../../ui/feedback";
import { formatTime } from "../../ui/format";
import { StatusBadge } from "../../ui/StatusBadge";
import { TabLinks } from "../../ui/TabLinks";
import { JourneyActions } from "../journeys/JourneyActions";
import { JourneyQuery } from "./queries";
import { GraphTab, type JourneyDetail } from "./GraphTab";

const UsersTab = lazy(() => import("./UsersTab"));
const EntryDetails = lazy(() => import("./EntryDetails"));
const JourneyCommunications = lazy(() => import("./JourneyCommunications"));
const ReportsTab = lazy(() => import("../reports/ReportsTab"));
const VersionsTab = lazy(() => import("./VersionsTab"));
const SegmentRunsTab = lazy(() => import("./SegmentRunsTab"));
// The editor (its forms, the predicate builder, the cron library) is a chunk of its own.
const EditorScreen = lazy(() => import("../../editor/EditorScreen"));

const TABS = [
  ["", "Graph"],
  ["edit", "Edit"],
  ["users", "Users"],
  ["communications", "Communications"],
  ["reports", "Reports"],
  ["versions", "Versions"],
] as const;

export default function JourneyScreen() {
  const { journeyId = "" } = useParams();
  const { pathname } = useLocation();
  const { canEdit } = usePermissions();
  const base = `/journeys/${encodeURIComponent(journeyId)}`;
  const [{ data, fetching, error }] = useQuery({ query: JourneyQuery, variables: { id: journeyId } });
  const journey = data?.journey;
  if (!journey && !fetching) {
    return (
      <Stack>
        <ErrorLine message={describeError(error) ?? "There is no journey with this id, or it is outside your access groups."} />
        <Anchor component={Link} to="/journeys">
          Back to the journeys
        </Anchor>
      </Stack>
    );
  }
  const rest = pathname.slice(base.length).replace(/^\//, "");
  const tab = rest.startsWith("entries") ? "users" : (rest.split("/")[0] ?? "");
  // The tabs that only need the journey's id load their data beside the header's, not after it.
  const needsJourney = (element: (j: JourneyDetail) => React.ReactNode) => (journey ? element(journey) : <Loading />);

  return (
    <Stack gap="sm">
      {journey ? <JourneyHeader journey={journey} /> : <Loading label="Loading the journey" />}
      <TabLinks
        label="Journey sections"
        active={tab ? `${base}/${tab}` : base}
        tabs={[...TABS.filter(([slug]) => canEdit || slug !== "edit"), ...(journey?.triggerKind === "SCHEDULED_SEGMENT" ? ([["runs", "Segment runs"]] as const) : [])].map(
          ([slug, text]) => [slug ? `${base}/${slug}` : base, text] as const,
        )}
      />
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route index element={needsJourney((j) => <GraphTab journey={j} />)} />
          <Route path="edit" element={needsJourney((j) => <EditorScreen journey={j} />)} />
          <Route path="users" element={<UsersTab journeyId={journeyId} />} />
          <Route path="entries/:entryId" element={<EntryDetails />} />
          <Route path="communications" element={<JourneyCommunications journeyId={journeyId} />} />
          <Route path="reports" element={<ReportsTab journeyId={journeyId} />} />
          <Route path="versions" element={<VersionsTab journeyId={journeyId} />} />
          <Route path="runs" element={<SegmentRunsTab journeyId={journeyId} />} />
        </Routes>
      </Suspense>
    </Stack>
  );
}

function JourneyHeader({ journey }: { journey: JourneyDetail }) {
  const navigate = useNavigate();
  return (
    <Group justify="space-between" align="flex-start">
      <Stack gap={2}>
        <Group gap="xs">
          <Anchor component={Link} to="/journeys" size="sm">
            Journeys
          </Anchor>
          <Text size="sm" c="dimmed">
            /
          </Text>
        </Group>
        <Group gap="sm">
          <Title order={2} size="h3">
            {journey.name}
          </Title>
          <StatusBadge status={journey.status} />
          <Text size="sm">version {journey.version}</Text>
        </Group>
        <Group gap="md">
          <Text size="sm">Trigger: {journey.triggerKind}</Text>
          <Text size="sm">Re-entry: {journey.reentryMode}</Text>
          <Text size="sm">Control group: {journey.controlGroupPercent}%</Text>
          <Text size="sm">Activated: {formatTime(journey.activatedAt)}</Text>
          {journey.nextRunAt ? <Text size="sm">Next run: {formatTime(journey.nextRunAt)}</Text> : null}
          {journey.accessGroups.length ? <Text size="sm">Access groups: {journey.accessGroups.join(", ")}</Text> : null}
          {journey.tags.map((t) => (
            <Badge key={t} variant="outline" color="gray" size="sm" styles={{ label: { color: "var(--mantine-color-dark-6)" } }}>
              {t}
            </Badge>
          ))}
        </Group>
        {journey.description ? <Text size="sm">{journey.description}</Text> : null}
      </Stack>
      <JourneyActions journey={journey} afterDelete={() => navigate("/journeys")} />
    </Group>
  );
}
