// The operator's token lives in localStorage so that a reload, a second tab and the
// GraphiQL page (served from the same origin) all use the same login.
const KEY = "questline.token";

export function readToken(): string | null {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function writeToken(token: string | null): void {
  if (token) window.localStorage.setItem(KEY, token);
  else window.localStorage.removeItem(KEY);
}

const OPERATOR_KEY = "questline.operator";

/** The operator as last read from `me`, so a reload draws the screen at once; `me` is asked again. */
export function readCachedOperator<T>(): T | null {
  try {
    const text = window.localStorage.getItem(OPERATOR_KEY);
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

export function writeCachedOperator(operator: unknown | null): void {
  if (operator) window.localStorage.setItem(OPERATOR_KEY, JSON.stringify(operator));
  else window.localStorage.removeItem(OPERATOR_KEY);
}

export function graphqlWsUrl(): string {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}/graphql`;
}
