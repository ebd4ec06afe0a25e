// The grid's state in the page's query string, so a view can be shared. Every key starts with "g.":
//   g.sort=-temp max,date        sort keys in order, "-" for descending (a JSON list when a name needs it)
//   g.f.<column>__<op>=<value>   one per filter, e.g. g.f.weather__icontains=rain, g.f.temp__gte=3
//   g.hide=station,id            hidden columns (same list form as g.sort)
//   g.w.<column>=240             a resized column's width in px
//   g.row=5000                   the first visible row, 0-based
// Other parameters of the page are kept as they are.
import { decodeNameList, decodeSort, encodeNameList, encodeSort } from "./request";
import {
  clampWidth,
  defaultWidth,
  type FilterCondition,
  type GridState,
  type SortKey,
} from "../../components/grid/state";
import { isFilterOp, opFitsType, type Column } from "../../lib/contract";

export const URL_PREFIX = "g.";
const SORT = "g.sort";
const HIDE = "g.hide";
const ROW = "g.row";
const FILTER_PREFIX = "g.f.";
const WIDTH_PREFIX = "g.w.";

function parseFilterKey(key: string): { column: string; op: string } | null {
  // The op is always written, so the last "__" separates it even when the column name holds "__".
  const at = key.lastIndexOf("__");
  if (at <= 0) return null;
  return { column: key.slice(0, at), op: key.slice(at + 2) };
}

/** The grid state a query string describes; names of columns this version lacks are dropped. */
export function readGridState(search: string, columns: Column[]): GridState {
  const params = new URLSearchParams(search);
  const byName = new Map(columns.map((column) => [column.name, column]));

  const sort: SortKey[] = [];
  for (const key of decodeSort(params.get(SORT) ?? "")) {
    if (byName.has(key.column) && !sort.some((other) => other.column === key.column)) sort.push(key);
  }

  const filters: FilterCondition[] = [];
  const widths: Record<string, number> = {};
  for (const [key, value] of params) {
    if (key.startsWith(FILTER_PREFIX)) {
      const parsed = parseFilterKey(key.slice(FILTER_PREFIX.length));
      const column = parsed ? byName.get(parsed.column) : undefined;
      if (parsed && column && isFilterOp(parsed.op) && opFitsType(parsed.op, column.type) && value !== "") {
        filters.push({ column: column.name, op: parsed.op, value });
      }
    } else if (key.startsWith(WIDTH_PREFIX)) {
      const name = key.slice(WIDTH_PREFIX.length);
      const width = Number(value);
      if (byName.has(name) && /^\d+$/.test(value) && Number.isFinite(width)) widths[name] = clampWidth(width);
    }
  }

  let hidden = [...new Set(decodeNameList(params.get(HIDE) ?? ""))].filter((name) => byName.has(name));
  if (hidden.length >= columns.length) hidden = []; // a grid with no columns helps nobody

  const rawRow = params.get(ROW) ?? "";
  const row = /^\d+$/.test(rawRow) ? Number(rawRow) : 0;

  return { sort, filters, hidden, widths, row: Number.isSafeInteger(row) ? row : 0 };
}

function isGridParameter(segment: string): boolean {
  const key = new URLSearchParams(segment).keys().next().value ?? "";
  return key.startsWith(URL_PREFIX);
}

/** `search` with its g.* parameters replaced by `state` (defaults left out); the others stay byte for byte. */
export function writeGridState(search: string, state: GridState, columns: Column[]): string {
  const kept = search
    .replace(/^\?/, "")
    .split("&")
    .filter((segment) => segment !== "" && !isGridParameter(segment));
  const params = new URLSearchParams();
  if (state.sort.length > 0) params.append(SORT, encodeSort(state.sort));
  for (const item of state.filters) params.append(`${FILTER_PREFIX}${item.column}__${item.op}`, item.value);
  if (state.hidden.length > 0) params.append(HIDE, encodeNameList(state.hidden));
  for (const column of columns) {
    const width = state.widths[column.name];
    if (width !== undefined && width !== defaultWidth(column.type))
      params.append(`${WIDTH_PREFIX}${column.name}`, String(width));
  }
  if (state.row > 0) params.append(ROW, String(state.row));
  const grid = params.toString();
  return [...kept, ...(grid ? [grid] : [])].join("&");
}

/** Put `state` into the address bar without a new history entry or a navigation. */
export function replaceUrlState(state: GridState, columns: Column[]): void {
  const search = writeGridState(window.location.search, state, columns);
  const url = `${window.location.pathname}${search ? `?${search}` : ""}${window.location.hash}`;
  if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
    window.history.replaceState(window.history.state, "", url);
  }
}
