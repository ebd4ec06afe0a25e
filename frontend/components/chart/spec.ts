// Reading chart specs and answers that cross the page or network boundary, and naming the query's outputs.
import { PropsError, expectObject } from "../../lib/validate";
import {
  CHART_TYPES,
  type AggregateQuery,
  type AnswerColumn,
  type ChartOptions,
  type ChartSpec,
  type ChartType,
  type QueryAnswer,
  type QueryGroup,
  type QueryMeasure,
} from "./types";

export const NUMERIC_TYPES: ReadonlySet<string> = new Set(["integer", "bigint", "float"]);
export const TEMPORAL_TYPES: ReadonlySet<string> = new Set(["date", "timestamp"]);

export function isNumericType(type: string | undefined): boolean {
  return type !== undefined && NUMERIC_TYPES.has(type);
}

export function isTemporalType(type: string | undefined): boolean {
  return type !== undefined && TEMPORAL_TYPES.has(type);
}

export function isChartType(value: unknown): value is ChartType {
  return typeof value === "string" && (CHART_TYPES as readonly string[]).includes(value);
}

/** A measure's output name, as the server names it: `count`, `<fn>_<column>`, or its `as`. */
export function measureName(measure: QueryMeasure): string {
  if (measure.as) return measure.as;
  if (measure.column === undefined || measure.column === null) return "count";
  return `${measure.fn}_${measure.column}`;
}

/** A group's output name: the grouped column's own name (also for buckets and bins). */
export function groupColumn(group: QueryGroup): string {
  return typeof group === "string" ? group : group.column;
}

export function groupBinWidth(group: QueryGroup | undefined): number | null {
  if (group === undefined || typeof group === "string") return null;
  return typeof group.bin_width === "number" && group.bin_width > 0 ? group.bin_width : null;
}

export function groupBucket(group: QueryGroup | undefined): string | null {
  if (group === undefined || typeof group === "string") return null;
  return group.bucket ?? null;
}

const FN_LABELS: Record<string, string> = {
  count: "Count",
  count_distinct: "Distinct",
  sum: "Sum of",
  avg: "Average",
  min: "Min",
  max: "Max",
  median: "Median",
};

/** A readable label for an output column: "Count", "Average temp_max", or the name itself. */
export function outputLabel(query: AggregateQuery, name: string): string {
  const measure = (query.measures ?? []).find((m) => measureName(m) === name);
  if (measure === undefined || measure.as) return name;
  const fn = FN_LABELS[measure.fn] ?? measure.fn;
  return measure.column ? `${fn} ${measure.column}` : fn;
}

function optionalName(obj: Record<string, unknown>, key: string): string | null {
  const value = obj[key];
  return typeof value === "string" && value !== "" ? value : null;
}

export function parseChartOptions(raw: unknown): ChartOptions {
  if (raw === undefined || raw === null) return {};
  const obj = expectObject(raw, "chart options");
  const options: ChartOptions = { x: optionalName(obj, "x"), series: optionalName(obj, "series") };
  if (Array.isArray(obj.measures)) options.measures = obj.measures.filter((m): m is string => typeof m === "string");
  if (typeof obj.stacked === "boolean") options.stacked = obj.stacked;
  if (typeof obj.horizontal === "boolean") options.horizontal = obj.horizontal;
  return options;
}

/** A chart spec from JSON (a saved chart, a dashboard's chart summary); the query is the server's, kept as is. */
export function parseChartSpec(raw: unknown, what = "chart"): ChartSpec {
  const obj = expectObject(raw, what);
  if (!isChartType(obj.chart_type)) throw new PropsError(`${what}: "chart_type" must be one of ${CHART_TYPES.join(", ")}`);
  const query = expectObject(obj.query, `${what} query`) as AggregateQuery;
  return { chart_type: obj.chart_type, query, options: parseChartOptions(obj.options) };
}

/** An aggregate answer from the API, checked enough that drawing it cannot throw. */
export function parseAnswer(raw: unknown): QueryAnswer {
  const obj = expectObject(raw, "answer");
  if (!Array.isArray(obj.columns) || !Array.isArray(obj.rows)) {
    throw new PropsError("The answer has no columns and rows.");
  }
  const columns: AnswerColumn[] = obj.columns.map((column, index) => {
    const c = expectObject(column, `columns[${index}]`);
    return { name: String(c.name), type: typeof c.type === "string" ? c.type : "text" };
  });
  const rows = obj.rows.filter((row): row is Record<string, unknown> => typeof row === "object" && row !== null);
  return { columns, rows };
}
