// The schema CodeMirror's SQL completion offers: tables (this workspace's by their short names, every readable
// one by "workspace"."dataset") and each table's columns, with their types.
import type { Completion } from "@codemirror/autocomplete";
import type { SQLNamespace } from "@codemirror/lang-sql";
import type { SqlTable } from "./props";

const PLAIN = /^[a-z_][a-z0-9_]*$/;

/** A name as SQL must write it: bare when it can be, quoted otherwise. */
export function sqlName(name: string): string {
  return PLAIN.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function columnsOf(table: SqlTable): Completion[] {
  return table.columns.map((c) => ({ label: c.name, apply: sqlName(c.name), type: "property", detail: c.type }));
}

function tableEntry(table: SqlTable, slug: string): SQLNamespace {
  return {
    self: { label: slug, apply: sqlName(slug), type: "class", detail: `${table.title} · v${table.version}` },
    children: columnsOf(table),
  };
}

export function completionSchema(tables: SqlTable[]): { schema: SQLNamespace; defaultSchema: string | undefined } {
  const byWorkspace: Record<string, Record<string, SQLNamespace>> = {};
  for (const table of tables) {
    const slug = table.qualified.split(".").slice(1).join(".").replace(/^"|"$/g, "");
    const entries = byWorkspace[table.workspace] ?? {};
    entries[slug] = tableEntry(table, slug);
    byWorkspace[table.workspace] = entries;
  }
  const schema: Record<string, SQLNamespace> = {};
  for (const [workspace, entries] of Object.entries(byWorkspace)) {
    schema[workspace] = { self: { label: workspace, apply: sqlName(workspace), type: "namespace" }, children: entries };
  }
  const local = tables.find((t) => !t.name.includes('"."'));
  return { schema, defaultSchema: local?.workspace };
}
