// The type-aware filter controls: which operators each column type gets, and which typed text is sent.
import type { ColumnType, FilterOp } from "../../lib/contract";

export const FILTER_DEBOUNCE_MS = 300;

export type FilterKind = "range" | "contains" | "boolean";

/** Numbers, dates and timestamps filter by a range (gte/lte), text by "contains" (icontains), booleans by value. */
export function filterKind(type: ColumnType): FilterKind {
  if (type === "text") return "contains";
  if (type === "boolean") return "boolean";
  return "range";
}

export const RANGE_OPS = { min: "gte", max: "lte" } as const satisfies Record<string, FilterOp>;
export const CONTAINS_OP: FilterOp = "icontains";
export const BOOLEAN_OP: FilterOp = "exact";
export const NULL_OP: FilterOp = "isnull";

// The forms apps/datasets/engine/values.py accepts, so a half-typed value is not sent to be refused.
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

/** A hint for the range inputs: the form each type takes. */
export function rangePlaceholder(type: ColumnType, end: "min" | "max"): string {
  if (type === "timestamp") return end === "min" ? "from 2024-01-31T00:00" : "to 2024-01-31T23:59";
  return end;
}
