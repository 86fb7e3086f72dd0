// The journey document in Monaco, checked and completed against the JSON Schema the
// server serves. Loaded only when the JSON view opens (its own chunk): the editor's core
// and contributions, the JSON language and its worker, no other language. The workers are
// bundled from the project's own files (Vite `?worker`), so this works with no internet.
import "monaco-editor/esm/vs/editor/editor.all.js";
import * as monaco from "monaco-editor/esm/vs/editor/editor.api.js";
import "monaco-editor/esm/vs/language/json/monaco.contribution.js";
import EditorWorker from "monaco-editor/esm/vs/editor/editor.worker.js?worker";
import JsonWorker from "monaco-editor/esm/vs/language/json/json.worker.js?worker";
import { useEffect, useRef } from "react";

const SCHEMA_PATH = "/schema/journey-definition.json";
const MODEL_URI = monaco.Uri.parse("inmemory://questline/journey-document.json");

(globalThis as { MonacoEnvironment?: monaco.Environment }).MonacoEnvironment = {
  getWorker: (_id: string, label: string) => (label === "json" ? new JsonWorker() : new EditorWorker()),
};
// Scripts (and the UI tests) reach the open document through the global API, as with
// Monaco's own builds: monaco.editor.getModel(monaco.Uri.parse(...)).getValue().
(globalThis as { monaco?: typeof monaco }).monaco = monaco;

let schemaSetUp: Promise<void> | null = null;

/** Fetches the schema once and hands it to the JSON language service; without it
 * (offline, an error), the editor still checks the JSON syntax. */
function setUpSchema(): Promise<void> {
  schemaSetUp ??= fetch(SCHEMA_PATH)
    .then((response) => (response.ok ? response.json() : null))
    .catch(() => null)
    .then((schema) => {
      monaco.languages.json.jsonDefaults.setDiagnosticsOptions({
        validate: true,
        allowComments: false,
        enableSchemaRequest: false,
        schemas: schema
          ? [{ uri: new URL(SCHEMA_PATH, window.location.origin).href, fileMatch: [MODEL_URI.toString()], schema }]
          : [],
      });
    });
  return schemaSetUp;
}

export default function JsonEditor({
  initialText,
  readOnly,
  onChange,
}: {
  initialText: string;
  readOnly: boolean;
  onChange: (text: string) => void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const changed = useRef(onChange);
  changed.current = onChange;
  useEffect(() => {
    let disposed = false;
    let editor: monaco.editor.IStandaloneCodeEditor | null = null;
    void setUpSchema().then(() => {
      if (disposed || !container.current) return;
      monaco.editor.getModel(MODEL_URI)?.dispose();
      const model = monaco.editor.createModel(initialText, "json", MODEL_URI);
      editor = monaco.editor.create(container.current, {
        model,
        readOnly,
        ariaLabel: "Journey document",
        automaticLayout: true,
        minimap: { enabled: false },
        fontSize: 12,
        tabSize: 2,
        scrollBeyondLastLine: false,
        quickSuggestions: { strings: true, other: true, comments: false },
      });
      model.onDidChangeContent(() => changed.current(model.getValue()));
      container.current.dataset.ready = "true";
    });
    return () => {
      disposed = true;
      editor?.getModel()?.dispose();
      editor?.dispose();
    };
  }, [initialText, readOnly]);
  return (
    <div
      ref={container}
      data-testid="json-view"
      style={{ height: "60vh", border: "1px solid var(--mantine-color-default-border)" }}
    />
  );
}
