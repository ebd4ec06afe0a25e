// A chart filter as the builder edits it (the value as typed) and as the query sends it (the value typed).
import { isValidFilterText } from "../../components/grid/filters";
import { isColumnType, type FilterOp } from "../../lib/contract";
import type { ProfileColumn } from "./props";

export interface FilterState {
  column: string;
  op: FilterOp;
  /** As typed in the value input; turned into the column's type when the query is built. */
  value: string;
}

function typedOne(type: string | undefined, raw: string): unknown {
  const text = raw.trim();
  if (type === "integer" || type === "bigint") {
    if (/^[+-]?\d+$/.test(text)) {
      const number = Number(text);
      return Number.isSafeInteger(number) ? number : text; // big integers travel as digits
    }
    return text;
  }
  if (type === "float") {
    const number = Number(text);
    return text !== "" && Number.isFinite(number) ? number : text;
  }
  if (type === "boolean") {
    if (text === "true") return true;
    if (text === "false") return false;
    return text;
  }
  return type === "text" ? raw : text;
}

/** A filter's value in its column's type: numbers as numbers, a list for `in`, true/false for isnull. */
export function typedFilterValue(type: string | undefined, op: FilterOp, raw: string): unknown {
  if (op === "isnull") return raw !== "false";
  if (op === "in") {
    return raw
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part !== "")
      .map((part) => typedOne(type, part));
  }
  return typedOne(type, raw);
}

/** A saved filter value back as input text. */
export function filterValueText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map((item) => filterValueText(item)).join(",");
  return String(value);
}

/** Whether the typed value has its column type's form (each item of an `in` list); "" is not judged here. */
export function isValidFilterValue(type: string | undefined, op: FilterOp, raw: string): boolean {
  if (op === "isnull" || !isColumnType(type)) return true;
  const parts = op === "in" ? raw.split(",") : [raw];
  return parts.every((part) => isValidFilterText(type, part.trim()));
}

/** A filter the query can send: a known column and a value of the right form (a half-typed date is not). */
export function isCompleteFilter(filter: FilterState, columns: ProfileColumn[]): boolean {
  const column = columns.find((item) => item.name === filter.column);
  if (column === undefined) return false;
  if (filter.op === "isnull") return true;
  return filter.value.trim() !== "" && isValidFilterValue(column.type, filter.op, filter.value);
}
