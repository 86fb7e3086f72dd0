// The editor's state with undo / redo, and the draft kept in localStorage until saved.
import { useCallback, useEffect, useRef, useState } from "react";
import type { Definition } from "../graph/definition";

export type Positions = Record<string, { x: number; y: number }>;

/** What the operator edits: the document and the journey's settings beside it. */
export type Draft = {
  name: string;
  description: string;
  tags: string[];
  reentryMode: string;
  controlGroupPercent: number;
  freezeOnStop: boolean;
  definition: Definition;
};

export type Snapshot = { draft: Draft; positions: Positions };

const LIMIT = 200;

export function draftKey(journeyId: string): string {
  return `questline.draft.${journeyId}`;
}

export type StoredDraft = Snapshot & { savedAt: string; baseVersion: number };

export function readStoredDraft(journeyId: string): StoredDraft | null {
  try {
    const raw = window.localStorage.getItem(draftKey(journeyId));
    return raw ? (JSON.parse(raw) as StoredDraft) : null;
  } catch {
    return null;
  }
}

export function clearStoredDraft(journeyId: string): void {
  window.localStorage.removeItem(draftKey(journeyId));
}

/**
 * Undo / redo over snapshots. `change` records one step of history; `move` replaces
 * the present without one (a drag in progress), and `commit` records the move when it ends.
 */
export function useHistory(initial: Snapshot, journeyId: string, baseVersion: number) {
  const [state, setState] = useState({ past: [] as Snapshot[], present: initial, future: [] as Snapshot[] });
  const pending = useRef<Snapshot | null>(null);
  const [dirty, setDirty] = useState(false);

  const change = useCallback((update: (s: Snapshot) => Snapshot) => {
    setState((h) => {
      const next = update(h.present);
      if (next === h.present) return h;
      return { past: [...h.past, pending.current ?? h.present].slice(-LIMIT), present: next, future: [] };
    });
    pending.current = null;
    setDirty(true);
  }, []);

  const move = useCallback((update: (s: Snapshot) => Snapshot) => {
    setState((h) => {
      if (!pending.current) pending.current = h.present;
      return { ...h, present: update(h.present) };
    });
  }, []);

  const commit = useCallback(() => {
    const before = pending.current;
    pending.current = null;
    if (!before) return;
    setState((h) => ({ past: [...h.past, before].slice(-LIMIT), present: h.present, future: [] }));
    setDirty(true);
  }, []);

  const undo = useCallback(() => {
    setState((h) => {
      if (!h.past.length) return h;
      return { past: h.past.slice(0, -1), present: h.past[h.past.length - 1], future: [h.present, ...h.future] };
    });
    setDirty(true);
  }, []);

  const redo = useCallback(() => {
    setState((h) => {
      if (!h.future.length) return h;
      return { past: [...h.past, h.present], present: h.future[0], future: h.future.slice(1) };
    });
    setDirty(true);
  }, []);

  const reset = useCallback((snapshot: Snapshot) => {
    setState({ past: [], present: snapshot, future: [] });
    setDirty(false);
  }, []);

  // The draft outlives a reload or a closed tab, until it is saved or discarded.
  useEffect(() => {
    if (!dirty) return;
    const stored: StoredDraft = { ...state.present, savedAt: new Date().toISOString(), baseVersion };
    window.localStorage.setItem(draftKey(journeyId), JSON.stringify(stored));
  }, [state.present, dirty, journeyId, baseVersion]);

  return {
    present: state.present,
    canUndo: state.past.length > 0,
    canRedo: state.future.length > 0,
    dirty,
    change,
    move,
    commit,
    undo,
    redo,
    reset,
    markSaved: () => setDirty(false),
  };
}
