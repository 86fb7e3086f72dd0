import { Alert, Badge, Button, Group, Modal, Paper, ScrollArea, Select, Stack, Tabs, Text, Tooltip, Loader } from "@mantine/core";
import { ReactFlowProvider, type Connection, type Edge } from "@xyflow/react";
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useClient, useMutation, useQuery } from "urql";
import { describeError } from "../api/errors";
import { usePermissions } from "../auth/session";
import { isConfigured, KINDS, outputsOf, stepsOf, type Definition, type Step } from "../graph/definition";
import type { GraphProblem } from "../graph/JourneyGraph";
import { layoutSteps, TRIGGER_ID } from "../graph/layout";
import type { JourneyDetail } from "../screens/journey/GraphTab";
import { ErrorLine } from "../ui/feedback";
import { formatTime } from "../ui/format";
import {
  addStep,
  blankStep,
  deleteSteps,
  freeHandles,
  KIND_LABELS,
  newStepId,
  pasteSteps,
  renameStep,
  replaceStep,
  setLink,
  type Kind,
} from "./document";
import { DRAG_KIND, EditorCanvas } from "./EditorCanvas";
import { clearStoredDraft, readStoredDraft, useHistory, type Draft, type Positions, type Snapshot } from "./history";
import { JourneyForm } from "./JourneyForm";
import { PreviewPanel, type PreviewPath } from "./PreviewPanel";
import { EditorCatalogQuery, SaveLayout, UpdateJourney, ValidateQuery, VersionsQuery } from "./queries";
import { StepForm } from "./StepForm";

// Monaco, with the JSON language and its worker, loads only when the JSON view opens.
const JsonEditor = lazy(() => import("./JsonEditor"));

export const CLIPBOARD_KEY = "questline.clipboard";

function draftOf(journey: JourneyDetail): Draft {
  return {
    name: journey.name,
    description: journey.description ?? "",
    tags: [...journey.tags],
    reentryMode: journey.reentryMode,
    controlGroupPercent: journey.controlGroupPercent,
    freezeOnStop: journey.freezeOnStop,
    definition: (journey.definition ?? {}) as Definition,
  };
}

export function autoLayout(definition: Definition): Positions {
  const placed = layoutSteps(stepsOf(definition), definition.start);
  return Object.fromEntries(placed.entries());
}

function initialSnapshot(journey: JourneyDetail): { snapshot: Snapshot; restored: string | null } {
  const stored = readStoredDraft(journey.id);
  if (stored && stored.baseVersion === journey.version) {
    return { snapshot: { draft: stored.draft, positions: stored.positions }, restored: stored.savedAt };
  }
  const draft = draftOf(journey);
  return { snapshot: { draft, positions: savedPositions(journey.layout, draft.definition) }, restored: null };
}

/** The layout saved on the server, with any step it does not place laid out automatically. */
function savedPositions(layout: unknown, definition: Definition): Positions {
  const saved = (layout && typeof layout === "object" ? layout : {}) as Positions;
  const ids = stepsOf(definition).map((s) => s.id);
  if (ids.every((id) => saved[id])) return { ...saved };
  return { ...autoLayout(definition), ...saved };
}

/** The positions of the steps there are (and of the trigger), as the server keeps them. */
function layoutOf(positions: Positions, definition: Definition): Positions {
  const ids = [TRIGGER_ID, ...stepsOf(definition).map((s) => s.id)];
  const placed = ids.filter((id) => positions[id]).map((id) => [id, { x: Math.round(positions[id].x), y: Math.round(positions[id].y) }]);
  return Object.fromEntries(placed);
}

export default function EditorScreen({ journey }: { journey: JourneyDetail }) {
  const start = useMemo(() => initialSnapshot(journey), [journey.id]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <ReactFlowProvider>
      <Editor key={journey.id} journey={journey} initial={start.snapshot} restored={start.restored} />
    </ReactFlowProvider>
  );
}

function Editor({ journey, initial, restored }: { journey: JourneyDetail; initial: Snapshot; restored: string | null }) {
  const { canEdit } = usePermissions();
  const readOnly = !canEdit;
  const history = useHistory(initial, journey.id, journey.version);
  const { draft, positions } = history.present;
  const definition = draft.definition;
  const steps = useMemo(() => stepsOf(definition), [definition]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [selectedEdges, setSelectedEdges] = useState<Set<string>>(new Set());
  const [restoredAt, setRestoredAt] = useState(restored);
  const [message, setMessage] = useState<string | null>(null);
  const [path, setPath] = useState<PreviewPath | null>(null);
  const [jsonOpen, setJsonOpen] = useState(false);
  const [tab, setTab] = useState<string | null>("settings");
  const [fitKey, setFitKey] = useState(0);
  const problems = useServerProblems(definition);
  const [{ data: catalogData }] = useQuery({ query: EditorCatalogQuery });
  const [saving, save] = useMutation(UpdateJourney);
  const [savingLayout, saveLayout] = useMutation(SaveLayout);
  // The journey as the server has it: a save that changed only the layout publishes no version.
  const savedDraft = useRef(JSON.stringify(draftOf(journey)));
  const [saveError, setSaveError] = useState<string | null>(null);

  const change = useCallback(
    (update: (d: Definition) => Definition, place?: (p: Positions, d: Definition) => Positions) =>
      history.change((s) => {
        const def = update(s.draft.definition);
        if (def === s.draft.definition && !place) return s;
        return { draft: { ...s.draft, definition: def }, positions: place ? place(s.positions, def) : s.positions };
      }),
    [history],
  );

  // Adding a step: linked from the one step selected (its first free output), placed below it.
  const add = useCallback(
    (kind: Kind, at?: { x: number; y: number }) => {
      const id = newStepId(definition, kind);
      const from = selected.size === 1 ? steps.find((s) => selected.has(s.id)) : undefined;
      const handle = from ? freeHandles(from, outputsOf(from))[0] : undefined;
      const below = from && positions[from.id] ? { x: positions[from.id].x + (handle === "no" ? 250 : 0), y: positions[from.id].y + 150 } : undefined;
      const place = at ?? below ?? { x: 40 + (steps.length % 4) * 250, y: 120 + Math.floor(steps.length / 4) * 150 };
      change(
        (d) => {
          const added = addStep(d, blankStep(kind, id));
          return from && handle ? setLink(added, from.id, handle, id) : added;
        },
        (p) => ({ ...p, [id]: place }),
      );
      setSelected(new Set([id]));
      setTab("settings");
    },
    [change, definition, positions, selected, steps],
  );

  const copy = useCallback(() => {
    const chosen = steps.filter((s) => selected.has(s.id));
    if (!chosen.length) return;
    const payload = JSON.stringify({ steps: chosen, positions: Object.fromEntries(chosen.map((s) => [s.id, positions[s.id]])) });
    window.localStorage.setItem(CLIPBOARD_KEY, payload);
    navigator.clipboard?.writeText(payload).catch(() => undefined);
    setMessage(`Copied ${chosen.length === 1 ? `step ${chosen[0].id}` : `${chosen.length} steps`}: paste them here or in another journey.`);
  }, [positions, selected, steps]);

  const paste = useCallback(() => {
    let copied: { steps: Step[]; positions: Positions } | null = null;
    try {
      copied = JSON.parse(window.localStorage.getItem(CLIPBOARD_KEY) ?? "null");
    } catch {
      copied = null;
    }
    if (!copied?.steps?.length) {
      setMessage("Nothing to paste: copy a step first.");
      return;
    }
    const source = copied;
    const result = pasteSteps(definition, source.steps);
    change(
      () => result.definition,
      (p) => {
        // The copied steps keep their places among themselves, below what is on the canvas.
        const was = (id: string) => source.positions?.[id] ?? { x: 0, y: 0 };
        const left = Math.min(...source.steps.map((s) => was(s.id).x));
        const top = Math.min(...source.steps.map((s) => was(s.id).y));
        const placed = Object.values(p);
        const anchor = {
          x: placed.length ? Math.min(...placed.map((q) => q.x)) : 40,
          y: placed.length ? Math.max(...placed.map((q) => q.y)) + 150 : 40,
        };
        const next = { ...p };
        for (const [from, to] of result.ids) {
          next[to] = { x: anchor.x + was(from).x - left, y: anchor.y + was(from).y - top };
        }
        return next;
      },
    );
    setSelected(new Set(result.ids.values()));
    setMessage(`Pasted ${[...result.ids.values()].join(", ")}.`);
  }, [change, definition]);

  const removeSelection = useCallback(
    (stepIds: string[], edges: Edge[]) => {
      change((d) => {
        let doc = edges.reduce((acc, e) => setLink(acc, e.source, e.sourceHandle, null), d);
        if (stepIds.length) doc = deleteSteps(doc, new Set(stepIds));
        return doc;
      });
      setSelected(new Set());
      setSelectedEdges(new Set());
    },
    [change],
  );

  const removeSelected = () => {
    const edges = [...selectedEdges].map((id) => {
      const [source, handle] = id === "start" ? ["__trigger", null] : [id.slice(0, id.lastIndexOf(":")), id.slice(id.lastIndexOf(":") + 1)];
      return { id, source, target: "", sourceHandle: handle } as Edge;
    });
    removeSelection([...selected], edges);
  };

  // Keyboard: undo, redo, copy, paste, outside text fields.
  useEffect(() => {
    if (readOnly) return;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.closest("input, textarea, select, [contenteditable=true]")) return;
      if (!(e.ctrlKey || e.metaKey)) return;
      const key = e.key.toLowerCase();
      if (key === "z" && !e.shiftKey) history.undo();
      else if ((key === "z" && e.shiftKey) || key === "y") history.redo();
      else if (key === "c") copy();
      else if (key === "v") paste();
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [copy, paste, history, readOnly]);

  // A preview is about the document it ran on.
  useEffect(() => setPath(null), [definition]);

  const saveDefinition = async (): Promise<string | null> => {
    if (JSON.stringify(draft) === savedDraft.current) return null;
    const r = await save({
      id: journey.id,
      input: {
        name: draft.name,
        description: draft.description || null,
        tags: draft.tags,
        reentryMode: draft.reentryMode as never,
        controlGroupPercent: draft.controlGroupPercent,
        freezeOnStop: draft.freezeOnStop,
        definition,
      },
    });
    const error = describeError(r.error, r.data?.updateJourney.errors);
    if (error) throw new Error(error);
    savedDraft.current = JSON.stringify(draft);
    const saved = r.data?.updateJourney.journey;
    return saved ? `version ${saved.version} (${saved.status})` : "";
  };

  const onSave = async () => {
    setSaveError(null);
    let saved: string | null;
    try {
      saved = await saveDefinition();
      const r = await saveLayout({ id: journey.id, layout: layoutOf(positions, definition) });
      const error = describeError(r.error, r.data?.saveJourneyLayout.errors);
      if (error) throw new Error(saved === null ? error : `the journey was saved (${saved}), its layout was not: ${error}`);
    } catch (err) {
      setSaveError((err as Error).message);
      return;
    }
    clearStoredDraft(journey.id);
    history.markSaved();
    setRestoredAt(null);
    setMessage(saved ? `Saved: ${saved}.` : saved === null ? "Saved: the layout of the steps." : "Saved.");
  };

  const discard = () => {
    clearStoredDraft(journey.id);
    history.reset({ draft: draftOf(journey), positions: savedPositions(journey.layout, journey.definition as Definition) });
    setRestoredAt(null);
    setMessage("The draft was discarded: this is the saved version.");
  };

  const problemsByStep = useMemo(() => {
    const map = new Map<string, GraphProblem[]>();
    for (const p of problems.list) if (p.stepId) map.set(p.stepId, [...(map.get(p.stepId) ?? []), p]);
    return map;
  }, [problems.list]);
  const journeyProblems = problems.list.filter((p) => !p.stepId);
  const one = selected.size === 1 ? steps.find((s) => selected.has(s.id)) : undefined;
  const catalog = useMemo(
    () => ({
      resources: catalogData?.resources ?? [],
      templates: catalogData?.bonusTemplates.map((t) => t.name) ?? [],
      statuses: ladderNames(definition),
      stepIds: steps.map((s) => s.id),
    }),
    [catalogData, definition, steps],
  );
  const unconfigured = steps.filter((s) => !isConfigured(s)).length;

  return (
    <Stack gap="xs">
      {restoredAt ? (
        <Alert color="blue" variant="light" py={6}>
          <Group justify="space-between">
            <Text size="sm">This is your unsaved draft from {formatTime(restoredAt)}, kept in this browser.</Text>
            <Button size="compact-sm" variant="default" onClick={discard}>
              Discard the draft
            </Button>
          </Group>
        </Alert>
      ) : null}
      <Group gap="xs" justify="space-between" data-testid="editor-toolbar">
        <Group gap={6}>
          <Button size="compact-sm" variant="default" onClick={history.undo} disabled={!history.canUndo || readOnly}>
            Undo
          </Button>
          <Button size="compact-sm" variant="default" onClick={history.redo} disabled={!history.canRedo || readOnly}>
            Redo
          </Button>
          <Button
            size="compact-sm"
            variant="default"
            disabled={readOnly}
            onClick={() => {
              change((d) => d, (_p, d) => autoLayout(d));
              setFitKey((k) => k + 1);
            }}
          >
            Auto layout
          </Button>
          <Button size="compact-sm" variant="default" onClick={copy} disabled={!selected.size}>
            Copy
          </Button>
          <Button size="compact-sm" variant="default" onClick={paste} disabled={readOnly}>
            Paste
          </Button>
          <Button size="compact-sm" variant="default" color="red" onClick={removeSelected} disabled={readOnly || (!selected.size && !selectedEdges.size)}>
            Delete
          </Button>
          <Button size="compact-sm" variant="default" onClick={() => setJsonOpen(true)}>
            JSON
          </Button>
          <VersionPicker journeyId={journey.id} onOpen={(def, v) => {
            change(() => def, (_p, d) => autoLayout(d));
            setMessage(`Version ${v} opened in the draft: save to publish it as a new version.`);
          }} disabled={readOnly} />
        </Group>
        <Group gap={6}>
          <Text size="xs" c={problems.list.some((p) => p.severity === "ERROR") ? "red.8" : "dimmed"} data-testid="problem-count">
            {problems.checking ? "Checking…" : `${problems.list.filter((p) => p.severity === "ERROR").length} errors, ${problems.list.filter((p) => p.severity === "WARNING").length} warnings`}
            {unconfigured ? `, ${unconfigured} not configured` : ""}
          </Text>
          {history.dirty ? <Badge color="yellow" variant="light">Unsaved changes</Badge> : <Badge color="gray" variant="light">Saved</Badge>}
          {readOnly ? null : (
            <Tooltip label={journey.status === "ACTIVE" ? "Publishes a new version; halted entries move on" : "Saves the draft"}>
              <Button size="compact-sm" onClick={onSave} loading={saving.fetching || savingLayout.fetching} disabled={!history.dirty}>
                {journey.status === "ACTIVE" ? "Save and publish" : "Save"}
              </Button>
            </Tooltip>
          )}
        </Group>
      </Group>
      <ErrorLine message={saveError} title="Not saved" />
      {message ? (
        <Text size="sm" role="status" data-testid="editor-message">
          {message}
        </Text>
      ) : null}
      {journeyProblems.length ? (
        <Paper withBorder p={6}>
          <Text size="sm" fw={600}>
            Problems of the journey as a whole
          </Text>
          {journeyProblems.map((p, i) => (
            <Text key={i} size="xs" c={p.severity === "ERROR" ? "red.8" : "orange.9"}>
              {p.severity}: {p.message}
            </Text>
          ))}
        </Paper>
      ) : null}
      <div style={{ display: "grid", gridTemplateColumns: readOnly ? "1fr 340px" : "150px 1fr 360px", gap: 8, height: "calc(100vh - 250px)", minHeight: 520 }}>
        {readOnly ? null : <Palette onAdd={(k) => add(k)} />}
        <div style={{ border: "1px solid #dee2e6", borderRadius: 6 }}>
          <EditorCanvas
            definition={definition}
            positions={positions}
            problems={problems.list}
            path={path ?? undefined}
            selected={selected}
            readOnly={readOnly}
            fitKey={fitKey}
            onSelect={(ids, edgeIds) => {
              setSelected(ids);
              setSelectedEdges(edgeIds);
            }}
            onLink={(source, handle, target) => change((d) => setLink(d, source, handle, target))}
            onRelink={(old: Edge, c: Connection) =>
              change((d) => setLink(setLink(d, old.source, old.sourceHandle, null), c.source, c.sourceHandle, c.target))
            }
            onDeleteSelection={removeSelection}
            onMove={(id, position, dragging) => {
              const update = (s: Snapshot) => ({ ...s, positions: { ...s.positions, [id]: position ?? s.positions[id] } });
              if (dragging) history.move(update);
              else {
                history.move(update);
                history.commit();
              }
            }}
            onDropKind={(kind, at) => (KINDS as readonly string[]).includes(kind) && add(kind as Kind, at)}
          />
        </div>
        <Paper withBorder p="xs" style={{ overflow: "hidden" }}>
          <Tabs value={tab} onChange={setTab} keepMounted={false} style={{ height: "100%", display: "flex", flexDirection: "column" }}>
            <Tabs.List>
              <Tabs.Tab value="settings">{one ? "Step" : "Journey"} settings</Tabs.Tab>
              <Tabs.Tab value="test">Test with a user</Tabs.Tab>
            </Tabs.List>
            <ScrollArea style={{ flex: 1 }} pt="xs" offsetScrollbars>
              <Tabs.Panel value="settings">
                {one ? (
                  <StepForm
                    step={one}
                    catalog={catalog}
                    problems={problemsByStep.get(one.id) ?? []}
                    readOnly={readOnly}
                    onChange={(s) => change((d) => replaceStep(d, one.id, s))}
                    onRename={(to) => {
                      change(
                        (d) => renameStep(d, one.id, to),
                        (p) => {
                          const { [one.id]: was, ...rest } = p;
                          return { ...rest, [to]: was };
                        },
                      );
                      setSelected(new Set([to]));
                    }}
                  />
                ) : (
                  <JourneyForm
                    draft={draft}
                    stepIds={steps.map((s) => s.id)}
                    readOnly={readOnly}
                    onChange={(d) => history.change((s) => ({ ...s, draft: d }))}
                  />
                )}
              </Tabs.Panel>
              <Tabs.Panel value="test">
                <PreviewPanel journeyId={journey.id} draft={draft} onPath={setPath} />
              </Tabs.Panel>
            </ScrollArea>
          </Tabs>
        </Paper>
      </div>
      <JsonView
        opened={jsonOpen}
        definition={definition}
        readOnly={readOnly}
        onClose={() => setJsonOpen(false)}
        onApply={(d) => {
          change(() => d, (p, doc) => {
            const missing = stepsOf(doc).some((s) => !p[s.id]);
            return missing ? { ...autoLayout(doc), ...p } : p;
          });
          setJsonOpen(false);
        }}
      />
    </Stack>
  );
}

function ladderNames(definition: Definition): string[] {
  const statuses = definition.statuses;
  if (Array.isArray(statuses) && statuses.length) return statuses.map((s: { name?: string }) => s?.name ?? "").filter(Boolean);
  return ["Entered", "Sent", "Delivered", "Opened", "Clicked", "Converted"];
}

/** The server's problems of the draft as it is now, checked a moment after each edit. */
function useServerProblems(definition: Definition) {
  const client = useClient();
  const [state, setState] = useState<{ list: GraphProblem[]; checking: boolean }>({ list: [], checking: true });
  const latest = useRef(0);
  useEffect(() => {
    const ticket = ++latest.current;
    setState((s) => ({ ...s, checking: true }));
    const timer = window.setTimeout(async () => {
      const r = await client.query(ValidateQuery, { definition }, { requestPolicy: "network-only" }).toPromise();
      if (ticket !== latest.current) return;
      const list = r.data?.validateJourney ?? [];
      setState({ list: r.error ? [{ severity: "ERROR", message: describeError(r.error) ?? "not checked" }] : list, checking: false });
    }, 350);
    return () => window.clearTimeout(timer);
  }, [client, definition]);
  return state;
}

function Palette({ onAdd }: { onAdd: (kind: Kind) => void }) {
  return (
    <Paper withBorder p={6} data-testid="palette" aria-label="Step palette">
      <Text size="xs" fw={700} mb={4}>
        Add a step
      </Text>
      <Stack gap={4}>
        {KINDS.map((kind) => (
          <Button
            key={kind}
            size="compact-xs"
            variant="light"
            justify="flex-start"
            draggable
            onDragStart={(e) => {
              e.dataTransfer.setData(DRAG_KIND, kind);
              e.dataTransfer.effectAllowed = "copy";
            }}
            onClick={() => onAdd(kind)}
            aria-label={`Add a ${KIND_LABELS[kind]} step`}
          >
            {KIND_LABELS[kind]}
          </Button>
        ))}
      </Stack>
      <Text size="xs" c="dimmed" mt={6}>
        Click to add below the selected step (linked to its first free output), or drag onto the canvas.
      </Text>
    </Paper>
  );
}

function VersionPicker({ journeyId, onOpen, disabled }: { journeyId: string; onOpen: (d: Definition, v: number) => void; disabled: boolean }) {
  const [{ data }] = useQuery({ query: VersionsQuery, variables: { id: journeyId }, requestPolicy: "cache-and-network" });
  const versions = data?.journey?.versions ?? [];
  return (
    <Select
      aria-label="Open a version"
      placeholder="Open a version…"
      size="xs"
      w={170}
      disabled={disabled || !versions.length}
      data={versions.map((v) => ({ value: String(v.version), label: `Version ${v.version}${v.publishedAt ? `, ${formatTime(v.publishedAt)}` : ""}` }))}
      value={null}
      onChange={(v) => {
        const found = versions.find((x) => String(x.version) === v);
        if (found) onOpen(found.definition as Definition, found.version);
      }}
    />
  );
}

function JsonView({
  opened,
  definition,
  readOnly,
  onClose,
  onApply,
}: {
  opened: boolean;
  definition: Definition;
  readOnly: boolean;
  onClose: () => void;
  onApply: (d: Definition) => void;
}) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  // The text the editor opens with: set when the view opens, not on every keystroke.
  const [initialText, setInitialText] = useState("");
  useEffect(() => {
    if (opened) {
      const shown = JSON.stringify(definition, null, 2);
      setInitialText(shown);
      setText(shown);
      setError(null);
    }
  }, [opened, definition]);
  return (
    <Modal opened={opened} onClose={onClose} title="The journey document (JSON)" size="xl">
      <Stack gap="xs">
        <Suspense fallback={<Loader size="sm" aria-label="Loading the JSON editor" />}>
          {opened && initialText ? <JsonEditor initialText={initialText} readOnly={readOnly} onChange={setText} /> : null}
        </Suspense>
        <ErrorLine message={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
          {readOnly ? null : (
            <Button
              onClick={() => {
                try {
                  const parsed = JSON.parse(text);
                  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("the document must be a JSON object");
                  onApply(parsed as Definition);
                } catch (err) {
                  setError(`Not applied: ${(err as Error).message}`);
                }
              }}
            >
              Apply to the draft
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
