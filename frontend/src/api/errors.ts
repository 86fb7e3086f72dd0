import type { CombinedError } from "urql";

export type UserErrorLike = { message: string; code: string; field?: readonly string[] | null };

// The session ends when the server no longer accepts the token; listeners (the auth
// provider) send the operator back to the login screen with a message.
const EXPIRED = "questline:session-expired";

export function onSessionExpired(listener: () => void): () => void {
  window.addEventListener(EXPIRED, listener);
  return () => window.removeEventListener(EXPIRED, listener);
}

export function announceSessionExpired(): void {
  window.dispatchEvent(new Event(EXPIRED));
}

export function isUnauthenticated(error: CombinedError | undefined): boolean {
  return !!error?.graphQLErrors.some((e) => e.extensions?.code === "UNAUTHENTICATED");
}

/** One line for the operator: what went wrong, from a transport error or the payload's errors. */
export function describeError(
  error: CombinedError | undefined,
  userErrors?: readonly UserErrorLike[] | null,
): string | null {
  if (error) {
    if (error.networkError) return `The server could not be reached: ${error.networkError.message}`;
    const messages = error.graphQLErrors.map((e) => e.message);
    return messages.join("; ") || error.message;
  }
  if (userErrors && userErrors.length) return userErrors.map((e) => e.message).join("; ");
  return null;
}
