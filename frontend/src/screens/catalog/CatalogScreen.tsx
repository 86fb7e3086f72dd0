import { Stack, Title } from "@mantine/core";
import { Navigate, useParams } from "react-router";
import { usePermissions } from "../../auth/session";
import { BadgesSection, BonusTemplatesSection, MissionsSection } from "./GamificationSections";
import { LeaderboardSection, LevelsSection } from "./LevelsSections";
import { OperatorsSection } from "./OperatorsSection";
import { ResourcesSection } from "./ResourcesSection";

const SECTIONS: Record<string, [string, () => React.ReactElement]> = {
  resources: ["Resources", ResourcesSection],
  "bonus-templates": ["Bonus templates", BonusTemplatesSection],
  badges: ["Badges", BadgesSection],
  missions: ["Missions", MissionsSection],
  levels: ["Levels", LevelsSection],
  leaderboard: ["Leaderboard", LeaderboardSection],
  operators: ["Operators", OperatorsSection],
};

export default function CatalogScreen() {
  const { section = "resources" } = useParams();
  const { isAdmin } = usePermissions();
  const entry = SECTIONS[section];
  if (!entry || (section === "operators" && !isAdmin)) return <Navigate to="/catalog/resources" replace />;
  const [title, Section] = entry;
  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        {title}
      </Title>
      <Section />
    </Stack>
  );
}
