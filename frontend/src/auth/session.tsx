import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { Provider as UrqlProvider, useQuery } from "urql";
import { createApiClient } from "../api/client";
import { onSessionExpired } from "../api/errors";
import { readCachedOperator, readToken, writeCachedOperator, writeToken } from "../api/token";
import { graphql } from "../gql";
import type { Role } from "../gql/graphql";

export const MeQuery = graphql(`
  query Me {
    me {
      id
      username
      role
      accessGroups
    }
  }
`);

export type Operator = { id: string; username: string; role: Role; accessGroups: readonly string[] };

type Session = {
  token: string | null;
  operator: Operator | null;
  loading: boolean;
  /** Why the operator was sent back to the login screen, if they were. */
  notice: string | null;
  logIn(token: string): void;
  logOut(notice?: string): void;
};

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside SessionProvider");
  return session;
}

/** What the operator's role lets them do; the server enforces the same rules. */
export function usePermissions() {
  const { operator } = useSession();
  const role = operator?.role;
  return {
    canEdit: role === "ADMIN" || role === "MANAGER",
    isAdmin: role === "ADMIN",
  };
}

function OperatorLoader({ onLoaded }: { onLoaded(op: Operator | null, loading: boolean): void }) {
  const [{ data, fetching }] = useQuery({ query: MeQuery, requestPolicy: "network-only" });
  useEffect(() => onLoaded(data?.me ?? null, fetching), [data, fetching, onLoaded]);
  return null;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(() => readToken());
  const [operator, setOperator] = useState<Operator | null>(() => (token ? readCachedOperator<Operator>() : null));
  const [loading, setLoading] = useState<boolean>(!!token && !operator);
  const [notice, setNotice] = useState<string | null>(null);
  const client = useMemo(() => createApiClient(token), [token]);

  const logOut = useCallback((why?: string) => {
    writeToken(null);
    writeCachedOperator(null);
    setToken(null);
    setOperator(null);
    setLoading(false);
    setNotice(why ?? null);
  }, []);
  const logIn = useCallback((next: string) => {
    writeToken(next);
    writeCachedOperator(null);
    setNotice(null);
    setLoading(true);
    setToken(next);
  }, []);
  useEffect(
    () => onSessionExpired(() => logOut("Your session has expired. Log in again to go on.")),
    [logOut],
  );
  const onLoaded = useCallback((op: Operator | null, fetching: boolean) => {
    if (fetching) return;
    setOperator(op);
    writeCachedOperator(op);
    setLoading(false);
  }, []);

  const value = useMemo(
    () => ({ token, operator, loading, notice, logIn, logOut }),
    [token, operator, loading, notice, logIn, logOut],
  );
  return (
    <UrqlProvider value={client}>
      {token ? <OperatorLoader key={token} onLoaded={onLoaded} /> : null}
      <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
    </UrqlProvider>
  );
}
