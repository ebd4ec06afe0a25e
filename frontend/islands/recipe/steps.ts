// The recipe's steps as the API names them (DESIGN.md, "Column types and recipes"; dataplane/recipes/steps.py),
// and what the editor needs to know about them: defaults for a new step, and which columns exist before a given step.
import type { Schemas } from "../../lib/api/types";
import { isNumericType, isTemporalType } from "../../lib/contract";
import { PropsError } from "../../lib/validate";
import type { RecipeColumn } from "./props";

/** The steps the API's recipe schema names (its `op` discriminator), each with its label, in the editor's order. */
export type Op = Schemas["RecipeStep"]["op"];

export const OP_LABELS: Record<Op, string> = {
  cast: "Change type",
  rename: "Rename",
  drop: "Drop columns",
  trim: "Trim spaces",
  case: "Change case",
  replace: "Find and replace",
  fill: "Fill empty values",
  filter: "Keep matching rows",
  dedupe: "Remove duplicates",
  split: "Split a column",
  derive: "Compute a column (SQL)",
};

export const OPS = Object.keys(OP_LABELS) as Op[];

/** A cast's choices when a value does not convert (the schema's OnErrorEnum). */
export const ON_ERROR_LABELS: Record<Schemas["OnErrorEnum"], string> = {
  fail: "fail the version",
  null: "leave it empty",
};

/** A case step's targets (the schema's ToEnum). */
export const CASE_LABELS: Record<Schemas["ToEnum"], string> = {
  lower: "lower case",
  upper: "UPPER CASE",
  title: "Title Case",
};

export type Step = { op: Op } & Record<string, unknown>;

export interface FilterCondition {
  column: string;
  op: string;
  value?: unknown;
}

export function isOp(value: unknown): value is Op {
  return typeof value === "string" && (OPS as readonly string[]).includes(value);
}

/** Steps from props: objects with a known op (the server checked them when they were saved). */
export function parseSteps(raw: unknown): Step[] {
  if (!Array.isArray(raw)) throw new PropsError(`"steps" must be a list`);
  return raw.map((item, index) => {
    if (typeof item !== "object" || item === null || !isOp((item as { op?: unknown }).op)) {
      throw new PropsError(`steps[${index}] must be an object with a known "op"`);
    }
    return { ...(item as Step) };
  });
}

/** A new step of `op` over `columns` (the ones that exist where it is added), aimed at `focus` if given. */
export const TEXT_OPS = new Set<Op>(["trim", "case", "replace"]);

export function newStep(op: Op, columns: RecipeColumn[], focus: string | null = null): Step {
  const fits = TEXT_OPS.has(op) ? columns.filter((c) => c.type === "text") : columns;
  const target = fits.find((c) => c.name === focus) ?? fits.find((c) => c.type === "text") ?? fits[0] ?? columns[0];
  const name = target?.name ?? "";
  switch (op) {
    case "cast":
      return { op, column: name, type: target?.type === "text" ? "float" : "text", on_error: "fail" };
    case "rename":
      return { op, column: name, to: name };
    case "drop":
    case "trim":
      return { op, columns: name ? [name] : [] };
    case "case":
      return { op, columns: name ? [name] : [], to: "lower" };
    case "replace":
      return { op, column: name, find: "", with: "", regex: false };
    case "fill":
      return {
        op,
        column: name,
        value: target && isNumericType(target.type) ? "0" : target?.type === "boolean" ? "false" : "",
      };
    case "filter":
      // "has a value" is valid for every column, so a new filter never starts as an error
      return { op, filters: [{ column: name, op: "isnull", value: false }] };
    case "dedupe":
      return { op, columns: null };
    case "split":
      return { op, column: name, separator: ",", into: [`${name}_1`, `${name}_2`] };
    case "derive":
      return { op, column: "computed", expression: name ? `"${name.replace(/"/g, '""')}"` : "" };
  }
}

function asString(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function asNames(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** The columns after `step`, as the server would compile them (names and types only). */
export function applyToColumns(columns: RecipeColumn[], step: Step): RecipeColumn[] {
  switch (step.op) {
    case "rename":
      return columns.map((c) => (c.name === step.column ? { ...c, name: asString(step.to) || c.name } : c));
    case "drop": {
      const dropped = new Set(asNames(step.columns));
      return columns.filter((c) => !dropped.has(c.name));
    }
    case "cast":
      return columns.map((c) =>
        c.name === step.column
          ? {
              ...c,
              type: asString(step.type) || c.type,
              format: isTemporalType(asString(step.type)) ? asString(step.format) || null : null,
            }
          : c,
      );
    case "split":
      return columns.flatMap((c) =>
        c.name === step.column ? asNames(step.into).map((name) => ({ name, type: "text", format: null })) : [c],
      );
    case "derive": {
      // A text column, added at the end or in place of the one it names (dataplane/engine/recipe_derive.py).
      const derived = { name: asString(step.column), type: "text", format: null };
      if (!derived.name) return columns;
      return columns.some((c) => c.name === derived.name)
        ? columns.map((c) => (c.name === derived.name ? derived : c))
        : [...columns, derived];
    }
    default:
      return columns;
  }
}

/** The columns that exist just before step `index` (0-based). */
export function columnsBefore(input: RecipeColumn[], steps: Step[], index: number): RecipeColumn[] {
  return steps.slice(0, index).reduce(applyToColumns, input);
}

export function moveStep(steps: Step[], from: number, to: number): Step[] {
  if (to < 0 || to >= steps.length || from === to) return steps;
  const next = [...steps];
  const [moved] = next.splice(from, 1);
  if (moved === undefined) return steps;
  next.splice(to, 0, moved);
  return next;
}
