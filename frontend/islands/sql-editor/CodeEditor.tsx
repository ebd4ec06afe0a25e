// The CodeMirror 6 editor: DuckDB-flavoured SQL highlighting, completion of table and column names from the
// readable schemas, Ctrl/Cmd-Enter to run the statement (or the selection), refusals marked where they are.
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { PostgreSQL, sql } from "@codemirror/lang-sql";
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { type Diagnostic, lintGutter, setDiagnostics } from "@codemirror/lint";
import { EditorState, Prec } from "@codemirror/state";
import { EditorView, highlightActiveLine, keymap, lineNumbers, placeholder } from "@codemirror/view";
import { useEffect, useRef } from "react";
import { completionSchema } from "./completion";
import type { SqlTable } from "./props";
import { type Span, statementAt } from "./statement";

// The editor's look (in its shadow root, so here rather than in a stylesheet); the page's custom properties
// reach inside.
const THEME = EditorView.theme({
  "&": {
    minHeight: "180px",
    maxHeight: "60vh",
    fontSize: "0.9rem",
    border: "1px solid var(--border, #d0d5dd)",
    borderRadius: "6px",
    background: "#fff",
  },
  "&.cm-focused": { outline: "2px solid var(--accent, #3b5bdb)", outlineOffset: "-1px" },
  ".cm-scroller": { fontFamily: "var(--mono, ui-monospace, monospace)", minHeight: "180px" },
  ".cm-gutters": { borderRadius: "6px 0 0 6px" },
});

export interface EditorError {
  range: Span;
  message: string;
}

interface CodeEditorProps {
  initialDoc: string;
  tables: SqlTable[];
  error: EditorError | null;
  onChange: (doc: string) => void;
  /** Ctrl/Cmd-Enter: the span of the document to run. */
  onRun: (span: Span, doc: string) => void;
}

export function CodeEditor({ initialDoc, tables, error, onChange, onRun }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const callbacks = useRef({ onChange, onRun });
  callbacks.current = { onChange, onRun };

  useEffect(() => {
    if (!host.current) return;
    const { schema, defaultSchema } = completionSchema(tables);
    const run = (target: EditorView) => {
      const { main } = target.state.selection;
      const doc = target.state.doc.toString();
      callbacks.current.onRun(statementAt(doc, main.head, { from: main.from, to: main.to }), doc);
      return true;
    };
    // In a shadow root CodeMirror's styles go into adopted style sheets, which the page's CSP (no inline
    // styles) allows; in the document itself they would be <style> tags.
    const root = host.current.shadowRoot ?? host.current.attachShadow({ mode: "open" });
    const editor = new EditorView({
      parent: root,
      root,
      state: EditorState.create({
        doc: initialDoc,
        extensions: [
          Prec.highest(keymap.of([{ key: "Mod-Enter", run, preventDefault: true }])),
          lineNumbers(),
          history(),
          bracketMatching(),
          closeBrackets(),
          highlightActiveLine(),
          autocompletion({ activateOnTyping: true }),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          sql({ dialect: PostgreSQL, schema, defaultSchema, upperCaseKeywords: true }),
          lintGutter(),
          placeholder("SELECT … FROM dataset  (Ctrl+Enter runs it)"),
          keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap, indentWithTab]),
          EditorView.lineWrapping,
          THEME,
          EditorView.contentAttributes.of({ "aria-label": "SQL statement", "data-testid": "sql-input" }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) callbacks.current.onChange(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The editor is made once; its document then belongs to CodeMirror.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const diagnostics: Diagnostic[] = error
      ? [
          {
            from: error.range.from,
            to: Math.min(error.range.to, editor.state.doc.length),
            severity: "error",
            message: error.message,
          },
        ]
      : [];
    editor.dispatch(setDiagnostics(editor.state, diagnostics));
  }, [error]);

  return <div className="sql-codemirror" ref={host} />;
}
