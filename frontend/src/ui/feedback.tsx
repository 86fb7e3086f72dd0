import { Alert, Center, Loader, Text } from "@mantine/core";

/** A failed call's message, shown where the operator acted. */
export function ErrorLine({ message, title }: { message: string | null | undefined; title?: string }) {
  if (!message) return null;
  return (
    <Alert color="red" variant="light" title={title} role="alert" py={6}>
      {message}
    </Alert>
  );
}

export function Loading({ label = "Loading" }: { label?: string }) {
  return (
    <Center py="lg" aria-live="polite">
      <Loader size="sm" aria-label={label} />
    </Center>
  );
}

export function Empty({ children }: { children: React.ReactNode }) {
  return (
    <Text c="dimmed" size="sm" py="md" ta="center">
      {children}
    </Text>
  );
}
