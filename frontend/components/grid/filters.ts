// The type-aware filter controls: which operators each column type gets, and which typed text is sent.
import type { ColumnType, FilterOp } from "../../lib/contract";

export const FILTER_DEBOUNCE_MS = 300;

export type FilterKind = "range" | "period" | "contains" | "boolean";

/**
 * Numbers filter by a range (gte/lte), dates and timestamps by one period typed in ISO (also gte/lte), text by
 * "contains" (icontains), booleans by value.
 */
export function filterKind(type: ColumnType): FilterKind {
  if (type === "text") return "contains";
  if (type === "boolean") return "boolean";
  if (type === "date" || type === "timestamp") return "period";
  return "range";
}

export const RANGE_OPS = { min: "gte", max: "lte" } as const satisfies Record<string, FilterOp>;
export const CONTAINS_OP: FilterOp = "icontains";
export const BOOLEAN_OP: FilterOp = "exact";
export const NULL_OP: FilterOp = "isnull";

// The forms dataplane/engine/values.py accepts, so a half-typed value is not sent to be refused.
const INTEGER_RE = /^[+-]?[0-9]+$/;
const FLOAT_RE = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
const DATE_RE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const TIMESTAMP_RE =
  /^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?$/;

/** Whether `text` (already trimmed) is a value of `type` the server will take; "" (no filter) always is. */
export function isValidFilterText(type: ColumnType, text: string): boolean {
  if (text === "") return true;
  switch (type) {
    case "integer":
    case "bigint":
      return INTEGER_RE.test(text);
    case "float":
      return FLOAT_RE.test(text);
    case "date":
      return DATE_RE.test(text);
    case "timestamp":
      return TIMESTAMP_RE.test(text);
    default:
      return true;
  }
}

// ---- Periods: one compact control for a date or timestamp column, in ISO as the data is ----

/** A bound pair for the range operators (gte / lte); "" is an open side. */
export interface Period {
  min: string;
  max: string;
}

const PERIOD_RE = /^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$/;
const PERIOD_SEPARATOR = /\s*(?:\.\.|\s–\s|\sto\s)\s*/;
const END_OF_DAY = "T23:59:59.999999";

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad = (value: number) => String(value).padStart(2, "0");

/** The first and last day of a year ("2024"), a month ("2024-02") or a day, or null for anything else. */
function periodDays(text: string): Period | null {
  const match = PERIOD_RE.exec(text);
  if (match === null) return null;
  const year = Number(match[1]);
  if (match[2] === undefined) return { min: `${year}-01-01`, max: `${year}-12-31` };
  const month = Number(match[2]);
  if (month < 1 || month > 12) return null;
  const last = daysInMonth(year, month);
  if (match[3] === undefined) return { min: `${match[1]}-${match[2]}-01`, max: `${match[1]}-${match[2]}-${pad(last)}` };
  const day = Number(match[3]);
  return day >= 1 && day <= last ? { min: text, max: text } : null;
}

/** One side of a range: a period, or (for timestamps) an exact moment such as 2024-01-31T08:00. */
function periodSide(type: ColumnType, text: string, end: keyof Period): string | null {
  const days = periodDays(text);
  if (days !== null) return type === "timestamp" && end === "max" ? days.max + END_OF_DAY : days[end];
  return type === "timestamp" && TIMESTAMP_RE.test(text) ? text.replace(" ", "T") : null;
}

/**
 * What a person types into a date or timestamp column's filter: a year (2024), a month (2024-02), a day
 * (2024-02-29), or a range of those with ".." (2024-01..2024-03, 2024-02-10.., ..2023); timestamps also take
 * exact moments (2024-01-31T08:00..2024-01-31T18:00). Null when the text is none of these; "" is no filter.
 */
export function parsePeriod(type: ColumnType, text: string): Period | null {
  const trimmed = text.trim();
  if (trimmed === "") return { min: "", max: "" };
  const parts = trimmed.split(PERIOD_SEPARATOR);
  if (parts.length > 2) return null;
  const [from = "", to = from] = parts.length === 1 ? [trimmed, trimmed] : parts;
  if (from === "" && to === "") return null;
  const min = from === "" ? "" : periodSide(type, from, "min");
  const max = to === "" ? "" : periodSide(type, to, "max");
  if (min === null || max === null) return null;
  if (min !== "" && max !== "" && max < min) return null;
  return { min, max };
}

/** The text a (gte, lte) pair reads as in the compact control: the shortest period it is, or "from..to". */
export function periodText(type: ColumnType, { min, max }: Period): string {
  const to = type === "timestamp" && max.endsWith(END_OF_DAY) ? max.slice(0, -END_OF_DAY.length) : max;
  if (min === "" && to === "") return "";
  if (min !== "" && to !== "" && to.length === 10 && min.length === 10) {
    for (const period of [min.slice(0, 4), min.slice(0, 7), min]) {
      const days = periodDays(period);
      if (days !== null && days.min === min && days.max === to) return period;
    }
  }
  return `${min}..${to}`;
}

/** How the compact control explains itself (its title, and its description for screen readers). */
export const PERIOD_HINT =
  "A year (2024), a month (2024-02), a day (2024-02-29) or a range: 2024-01..2024-03, 2024-02-10.., ..2023";
