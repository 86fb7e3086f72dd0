import { useCallback } from "react";
import { useSearchParams } from "react-router";

/**
 * The address's search parameters, and a setter for one of them that starts from the
 * address as it is now. The router commits its own copy of the parameters in a
 * transition, so a second change close behind a first (a channel picked, then a name
 * typed) would otherwise start from the address before the first and undo it.
 */
export function useSearchParam(): [URLSearchParams, (key: string, value: string | null) => void] {
  const [params, setParams] = useSearchParams();
  const setParam = useCallback(
    (key: string, value: string | null) => {
      const next = new URLSearchParams(window.location.search);
      if (value) next.set(key, value);
      else next.delete(key);
      setParams(next, { replace: true });
    },
    [setParams],
  );
  return [params, setParam];
}
