// Rows and export URLs for the grid's view, in the rows API's parameter forms
// (documented in dataplane/engine/rows.py; filter names resolved by engine/rows_request.py).
import { offsetPageUrl, withParams } from "../../components/grid/offsetRows";
import { visibleColumns, type FilterCondition, type SortKey } from "../../components/grid/state";
import type { Column, FilterOp } from "../../lib/contract";

/** What the server filters, sorts and returns; the offset and size are per request. */
export interface RowsQuery {
  columns: Column[];
  sort: SortKey[];
  filters: FilterCondition[];
  hidden: string[];
}

// The export view reads `format` itself, so a filter on a column named "format" must not use that name.
const RESERVED_NAMES: ReadonlySet<string> = new Set(["format"]);

function needsJsonList(names: string[], extraUnsafe: (name: string) => boolean = () => false): boolean {
  return names.some((name) => name.includes(",") || name.startsWith("[") || extraUnsafe(name));
}

/** `a,b`, or a JSON list when a name holds a comma or starts with `[` (the server reads both). */
export function encodeNameList(names: string[]): string {
  return needsJsonList(names) ? JSON.stringify(names) : names.join(",");
}

export function decodeNameList(raw: string): string[] {
  if (raw.startsWith("[")) {
    try {
      const items: unknown = JSON.parse(raw);
      return Array.isArray(items) ? items.filter((item): item is string => typeof item === "string") : [];
    } catch {
      return [];
    }
  }
  return raw === "" ? [] : raw.split(",");
}

/** `a,-b`; a JSON list of `{"column", "desc"}` when a name would be misread (a comma, a leading `-` or `[`). */
export function encodeSort(sort: SortKey[]): string {
  const names = sort.map((key) => key.column);
  if (needsJsonList(names, (name) => name.startsWith("-"))) {
    return JSON.stringify(sort.map((key) => ({ column: key.column, desc: key.desc })));
  }
  return sort.map((key) => (key.desc ? `-${key.column}` : key.column)).join(",");
}

export function decodeSort(raw: string): SortKey[] {
  if (raw.startsWith("[")) {
    let items: unknown;
    try {
      items = JSON.parse(raw);
    } catch {
      return [];
    }
    if (!Array.isArray(items)) return [];
    return items.flatMap((item): SortKey[] => {
      if (typeof item === "string" && item !== "") return [sortToken(item)];
      if (typeof item === "object" && item !== null && typeof (item as SortKey).column === "string") {
        return [{ column: (item as SortKey).column, desc: (item as SortKey).desc === true }];
      }
      return [];
    });
  }
  return raw
    .split(",")
    .filter((token) => token !== "" && token !== "-")
    .map(sortToken);
}

function sortToken(token: string): SortKey {
  return token.startsWith("-") ? { column: token.slice(1), desc: true } : { column: token, desc: false };
}

/**
 * The query parameter for one filter. Plain `column__op=value` (or `column=value` for exact) whenever the
 * server reads that name back as this (column, op): the whole name is tried as a column first, then split
 * at its last `__`. Otherwise — a name starting with `_` (the engine's own parameters), one whose
 * `column__op` spelling is another column, `in` values holding commas — the `_filters` JSON escape form.
 */
export function filterParam(
  column: string,
  op: FilterOp,
  value: string,
  columnNames: ReadonlySet<string>,
): [string, string] {
  const name = op === "exact" ? column : `${column}__${op}`;
  const misread = op !== "exact" && columnNames.has(name);
  if (!column.startsWith("_") && !RESERVED_NAMES.has(column) && !misread) return [name, value];
  const jsonValue = op === "in" ? value.split(",") : value;
  return ["_filters", JSON.stringify({ column, op, value: jsonValue })];
}

/** Sort, columns and filters as rows-API parameters (shared by every page request and the export link). */
export function queryParams(query: RowsQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.sort.length > 0) params.set("_sort", encodeSort(query.sort));
  const shown = visibleColumns(query.columns, query.hidden);
  if (shown.length < query.columns.length) params.set("_cols", encodeNameList(shown.map((column) => column.name)));
  const names = new Set(query.columns.map((column) => column.name));
  for (const item of query.filters) {
    params.append(...filterParam(item.column, item.op, item.value, names));
  }
  return params;
}

/** One page of rows: `size` rows from the 0-based `offset` of the filtered, sorted rows. */
export function rowsPageUrl(rowsUrl: string, query: RowsQuery, offset: number, size: number): string {
  return offsetPageUrl(rowsUrl, queryParams(query), offset, size);
}

/** "Download this view": every row matching the grid's filters, in its sort and columns, as CSV. */
export function exportViewUrl(exportUrl: string, query: RowsQuery): string {
  const params = new URLSearchParams({ format: "csv" });
  for (const [key, value] of queryParams(query)) params.append(key, value);
  return withParams(exportUrl, params);
}
