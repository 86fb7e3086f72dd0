import { createClient as createWsClient } from "graphql-ws";
import { Client, fetchExchange, mapExchange, subscriptionExchange, cacheExchange } from "urql";
import { announceSessionExpired, isUnauthenticated } from "./errors";
import { graphqlWsUrl } from "./token";

/** A client bound to one token: a new login builds a new client (and a new socket). */
export function createApiClient(token: string | null): Client {
  const ws = createWsClient({
    url: graphqlWsUrl(),
    lazy: true,
    connectionParams: (): Record<string, string> => (token ? { Authorization: `Bearer ${token}` } : {}),
    retryAttempts: 20,
    shouldRetry: () => true,
  });
  return new Client({
    url: "/graphql",
    requestPolicy: "cache-and-network",
    fetchOptions: (): RequestInit => ({ headers: token ? { Authorization: `Bearer ${token}` } : {} }),
    exchanges: [
      mapExchange({
        onError(error) {
          if (token && isUnauthenticated(error)) announceSessionExpired();
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || "" };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
}
