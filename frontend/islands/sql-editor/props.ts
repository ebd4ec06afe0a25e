import { PropsError, expectObject, expectString, optionalString } from "../../lib/validate";

export interface SqlColumn {
  name: string;
  type: string;
}

export interface SqlTable {
  id: string;
  /** How to write it here: `slug` in this workspace, `"workspace"."slug"` elsewhere. */
  name: string;
  qualified: string;
  title: string;
  workspace: string;
  version: number;
  url: string;
  columns: SqlColumn[];
}

export interface OpenQuery {
  id: string;
  title: string;
  materializeUrl: string;
  detailUrl: string;
}

export interface SqlEditorProps {
  workspace: string;
  sqlUrl: string;
  queriesUrl: string;
  jobsUrl: string;
  editorUrl: string;
  canSave: boolean;
  tables: SqlTable[];
  initialSql: string;
  query: OpenQuery | null;
}

function parseColumn(raw: unknown): SqlColumn {
  const obj = expectObject(raw, "a column");
  return { name: expectString(obj, "name"), type: expectString(obj, "type") };
}

function parseTable(raw: unknown): SqlTable {
  const obj = expectObject(raw, "a table");
  if (typeof obj.version !== "number") throw new PropsError(`"version" of a table must be a number`);
  if (!Array.isArray(obj.columns)) throw new PropsError(`"columns" of a table must be a list`);
  return {
    id: expectString(obj, "id"),
    name: expectString(obj, "name"),
    qualified: expectString(obj, "qualified"),
    title: expectString(obj, "title"),
    workspace: expectString(obj, "workspace"),
    version: obj.version,
    url: expectString(obj, "url"),
    columns: obj.columns.map(parseColumn),
  };
}

function parseQuery(raw: unknown): OpenQuery | null {
  if (raw === null || raw === undefined) return null;
  const obj = expectObject(raw, "query");
  return {
    id: expectString(obj, "id"),
    title: expectString(obj, "title"),
    materializeUrl: expectString(obj, "materializeUrl"),
    detailUrl: expectString(obj, "detailUrl"),
  };
}

// built by apps.sql.views.editor_props
export function parseSqlEditorProps(raw: unknown): SqlEditorProps {
  const obj = expectObject(raw, "sql-editor props");
  if (!Array.isArray(obj.tables)) throw new PropsError(`"tables" must be a list`);
  if (typeof obj.canSave !== "boolean") throw new PropsError(`"canSave" must be true or false`);
  return {
    workspace: expectString(obj, "workspace"),
    sqlUrl: expectString(obj, "sqlUrl"),
    queriesUrl: expectString(obj, "queriesUrl"),
    jobsUrl: expectString(obj, "jobsUrl"),
    editorUrl: expectString(obj, "editorUrl"),
    canSave: obj.canSave,
    tables: obj.tables.map(parseTable),
    initialSql: optionalString(obj, "initialSql") ?? "",
    query: parseQuery(obj.query),
  };
}
