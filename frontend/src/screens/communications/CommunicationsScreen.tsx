import { Stack, Title } from "@mantine/core";
import { CommunicationLog } from "./CommunicationLog";

export default function CommunicationsScreen() {
  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        Communication log
      </Title>
      <CommunicationLog />
    </Stack>
  );
}
