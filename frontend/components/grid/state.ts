// The grid's view state (what a shared link reproduces) and the pure changes the UI makes to it.
import type { Column, ColumnType, FilterOp } from "../../lib/contract";

export interface SortKey {
  column: string;
  desc: boolean;
}

/** One filter as the rows API takes it: `column__op=value`; values stay text, the server parses them. */
export interface FilterCondition {
  column: string;
  op: FilterOp;
  value: string;
}

export interface GridState {
  sort: SortKey[];
  filters: FilterCondition[];
  /** Column names left out of the grid and of `_cols`. */
  hidden: string[];
  /** Widths in px of the columns the user resized; the others use their type's default. */
  widths: Record<string, number>;
  /** The first visible row, 0-based. */
  row: number;
}

export const EMPTY_STATE: GridState = { sort: [], filters: [], hidden: [], widths: {}, row: 0 };

export const MIN_COLUMN_WIDTH = 60;
export const MAX_COLUMN_WIDTH = 2000;

const DEFAULT_WIDTHS: Record<ColumnType, number> = {
  integer: 120,
  bigint: 170,
  float: 130,
  boolean: 100,
  date: 150,
  timestamp: 200,
  text: 200,
};

export function clampWidth(width: number): number {
  return Math.round(Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, width)));
}

export function defaultWidth(type: ColumnType): number {
  return DEFAULT_WIDTHS[type];
}

export function columnWidth(widths: Readonly<Record<string, number>>, column: Column): number {
  return widths[column.name] ?? defaultWidth(column.type);
}

/**
 * Widths that fill `available` px: the room left over goes to the columns the user has not resized, in
 * proportion to their widths. Wider sets of columns, and sets where every column was resized, stay as they are.
 */
export function fillWidths(widths: readonly number[], resized: readonly boolean[], available: number): number[] {
  const total = widths.reduce((sum, width) => sum + width, 0);
  const flexible = widths.reduce((sum, width, index) => sum + (resized[index] ? 0 : width), 0);
  const extra = Math.floor(available) - total;
  if (extra <= 0 || flexible === 0) return [...widths];
  const filled = widths.map((width, index) =>
    resized[index] ? width : Math.floor(width + (extra * width) / flexible),
  );
  // What rounding down left over goes to the last flexible column, so the row ends exactly at the edge.
  let last = widths.length - 1;
  while (resized[last]) last -= 1;
  filled[last] = (filled[last] ?? 0) + Math.floor(available) - filled.reduce((sum, width) => sum + width, 0);
  return filled;
}

export function visibleColumns(columns: Column[], hidden: readonly string[]): Column[] {
  const hiddenSet = new Set(hidden);
  return columns.filter((column) => !hiddenSet.has(column.name));
}

/**
 * A header click: none → ascending → descending → none. A plain click sorts by this column alone;
 * `additive` (shift+click) adds it after the current keys, or cycles it in place.
 */
export function nextSort(sort: SortKey[], column: string, additive: boolean): SortKey[] {
  const current = sort.find((key) => key.column === column);
  const next: SortKey | null =
    current === undefined ? { column, desc: false } : current.desc ? null : { column, desc: true };
  if (!additive) return next === null ? [] : [next];
  if (current === undefined) return [...sort, next as SortKey];
  if (next === null) return sort.filter((key) => key.column !== column);
  return sort.map((key) => (key.column === column ? next : key));
}

/** The value of the (column, op) filter, "" when there is none. */
export function conditionValue(filters: FilterCondition[], column: string, op: FilterOp): string {
  return filters.find((item) => item.column === column && item.op === op)?.value ?? "";
}

/** Set, replace or (with "" or null) remove the (column, op) filter, keeping the others in order. */
export function setCondition(
  filters: FilterCondition[],
  column: string,
  op: FilterOp,
  value: string | null,
): FilterCondition[] {
  const index = filters.findIndex((item) => item.column === column && item.op === op);
  if (value === null || value === "") {
    return index === -1 ? filters : filters.filter((_, i) => i !== index);
  }
  if (index === -1) return [...filters, { column, op, value }];
  if (filters[index]?.value === value) return filters;
  return filters.map((item, i) => (i === index ? { column, op, value } : item));
}
