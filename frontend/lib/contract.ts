// The API's vocabulary, defined once for every island (DESIGN.md "API contract (v1)"): column types,
// filter operators and their labels, the aggregate query, rows, jobs, charts and dashboards; and the
// checks an answer passes where it enters the page, as island props do (each throws a PropsError).
// Lists the OpenAPI document declares as enums come from the generated lib/api/schema.ts (`make api-types`);
// rows, aggregate answers, jobs and errors are read by zod in ./answers, re-exported here.
import { z } from "zod";
import { chartTypeEnumValues, typeEnumValues } from "./api/schema";
import { textField } from "./answers";
import type { FieldsOf, NamesOf, Schemas } from "./api/types";
import { expectObject, PropsError, parseWith } from "./validate";

// ---- Columns (dataplane/engine/schema.py COLUMN_TYPES) ----

export const COLUMN_TYPES = typeEnumValues;
export type ColumnType = Schemas["TypeEnum"];

export interface Column {
  name: string;
  type: ColumnType;
  /** Whether the version has nulls in this column; unknown (undefined) for columns of a query's result. */
  nullable?: boolean;
}

const NUMERIC_TYPES: ReadonlySet<string> = new Set(["integer", "bigint", "float"]);
const TEMPORAL_TYPES: ReadonlySet<string> = new Set(["date", "timestamp"]);

export function isColumnType(value: unknown): value is ColumnType {
  return typeof value === "string" && (COLUMN_TYPES as readonly string[]).includes(value);
}

export function isNumericType(type: string | undefined): boolean {
  return type !== undefined && NUMERIC_TYPES.has(type);
}

export function isTemporalType(type: string | undefined): boolean {
  return type !== undefined && TEMPORAL_TYPES.has(type);
}

function columnsSchema(what: string) {
  const column = z
    .object(
      {
        name: z.string({ error: `"name" must be a non-empty string` }).min(1, `"name" must be a non-empty string`),
        type: z.enum(COLUMN_TYPES, { error: `{path} must be one of ${COLUMN_TYPES.join(", ")}` }),
        nullable: z.boolean({ error: "{path} must be true or false" }).optional(),
      } satisfies NamesOf<Pick<Schemas["Column"], "name" | "type" | "nullable">>,
      { error: "{path} must be a JSON object" },
    )
    .transform(
      ({ name, type, nullable }): Column => (nullable === undefined ? { name, type } : { name, type, nullable }),
    );
  return z
    .array(column, { error: `"${what}" must be a non-empty list` })
    .min(1, { error: `"${what}" must be a non-empty list` })
    .superRefine((columns, ctx) => {
      const seen = new Set<string>();
      columns.forEach(({ name }, index) => {
        if (seen.has(name)) {
          ctx.addIssue({ code: "custom", message: `{path}: "${name}" is listed twice`, path: [index] });
        }
        seen.add(name);
      });
    });
}

/** A schema's columns: names unique and non-empty (anything else is allowed: spaces, "__", a leading "_"). */
export function parseColumns(raw: unknown, what = "columns"): Column[] {
  return parseWith(columnsSchema(what), raw, what);
}

// ---- Filters (dataplane/engine/filters.py OPS): the rows API, the aggregate body, dashboards ----

export const FILTER_OPS = [
  "exact",
  "ne",
  "gt",
  "gte",
  "lt",
  "lte",
  "in",
  "contains",
  "icontains",
  "startswith",
  "isnull",
] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

/** How every island names an operator. */
export const FILTER_OP_LABELS: Record<FilterOp, string> = {
  exact: "=",
  ne: "≠",
  gt: ">",
  gte: "≥",
  lt: "<",
  lte: "≤",
  in: "is one of",
  contains: "contains",
  icontains: "contains (any case)",
  startswith: "starts with",
  isnull: "is empty",
};

const TEXT_ONLY_OPS: ReadonlySet<FilterOp> = new Set(["contains", "icontains", "startswith"]);
const TEXT_OPS: FilterOp[] = ["exact", "ne", "in", "contains", "icontains", "startswith", "isnull"];
const ORDERED_OPS: FilterOp[] = ["exact", "ne", "gt", "gte", "lt", "lte", "in", "isnull"];
const BOOLEAN_OPS: FilterOp[] = ["exact", "ne", "isnull"];

export function isFilterOp(value: unknown): value is FilterOp {
  return typeof value === "string" && (FILTER_OPS as readonly string[]).includes(value);
}

export function filterOpLabel(op: string): string {
  return isFilterOp(op) ? FILTER_OP_LABELS[op] : op;
}

/** Whether the server accepts `op` on a column of `type` (contains, icontains and startswith need text). */
export function opFitsType(op: FilterOp, type: string): boolean {
  return type === "text" || !TEXT_ONLY_OPS.has(op);
}

/** The operators worth offering for a column type (all of them while the type is unknown). */
export function opsFor(type: string | undefined): FilterOp[] {
  if (type === "text") return TEXT_OPS;
  if (type === "boolean") return BOOLEAN_OPS;
  if (type === undefined) return [...FILTER_OPS];
  return ORDERED_OPS;
}

/** One filter of the aggregate body or a dashboard: `{column, op, value}`; `in` takes a list, `isnull` a boolean. */
export interface QueryFilter {
  column: string;
  op: FilterOp;
  value?: unknown;
}

const filter = z.object({
  column: z.string(),
  op: z.enum(FILTER_OPS).optional(),
  value: z.unknown().optional(),
} satisfies NamesOf<Schemas["FilterCondition"]>);

/** Filters from JSON: entries that are not `{column, op}` with a known operator are left out. */
export function parseFilters(raw: unknown, what = "filters"): QueryFilter[] {
  const items = parseWith(z.array(z.unknown(), { error: `"${what}" must be a list` }).nullish(), raw) ?? [];
  return items.flatMap((item) => {
    const read = filter.safeParse(item);
    return read.success
      ? [{ column: read.data.column, op: read.data.op ?? "exact", value: read.data.value ?? null }]
      : [];
  });
}

// ---- The aggregate query (DESIGN.md "The aggregate query body, exactly") ----

export const MEASURE_FUNCTIONS = ["count", "count_distinct", "sum", "avg", "min", "max", "median"] as const;
export type MeasureFn = (typeof MEASURE_FUNCTIONS)[number];

export const BUCKETS = ["day", "week", "month", "quarter", "year"] as const;
export type Bucket = (typeof BUCKETS)[number];

export function isMeasureFn(value: unknown): value is MeasureFn {
  return typeof value === "string" && (MEASURE_FUNCTIONS as readonly string[]).includes(value);
}

export function isBucket(value: unknown): value is Bucket {
  return typeof value === "string" && (BUCKETS as readonly string[]).includes(value);
}

/** A column name, a time bucket of a date/timestamp column, or a numeric bin (value = the bin's lower bound). */
export type QueryGroup = string | { column: string; bucket?: Bucket | null; bin_width?: number | null };

export interface QueryMeasure {
  fn: MeasureFn;
  column?: string | null;
  as?: string | null;
}

export interface QueryOrder {
  column: string;
  desc?: boolean;
}

export interface AggregateQuery {
  filters?: QueryFilter[];
  group_by?: QueryGroup[];
  measures?: QueryMeasure[];
  order_by?: QueryOrder[];
  limit?: number;
}

// ---- Answers: rows, aggregate answers, jobs (read by zod in ./answers) ----

export {
  type AnswerColumn,
  type ErrorBody,
  errorOf,
  isFinished,
  JOB_STATUSES,
  type Job,
  type JobStatus,
  jobIdOf,
  parseJob,
  parseQueryAnswer,
  parseRowsAnswer,
  type QueryAnswer,
  type Row,
  type RowsAnswer,
} from "./answers";

// ---- Charts: /api/v1/charts/ ----

export const CHART_TYPES = chartTypeEnumValues;
export type ChartType = Schemas["ChartTypeEnum"];

/** How to draw the answer; x, series and measures name OUTPUT columns of the query's answer. */
export interface ChartOptions {
  x?: string | null;
  series?: string | null;
  measures?: string[];
  stacked?: boolean;
  horizontal?: boolean;
  /** The categories the chart had when saved, in colour order: a filtered answer keeps their colours. */
  categories?: string[];
  /** A scatter of the (x, y) points themselves rather than of an aggregate per x. */
  raw?: boolean;
}

export interface ChartSpec {
  chart_type: ChartType;
  query: AggregateQuery;
  options: ChartOptions;
}

/** A saved chart as the charts API answers it (ChartSerializer). */
export interface Chart extends ChartSpec {
  id: string;
  title: string;
  dataset: string;
  version_number: number | null;
}

export function isChartType(value: unknown): value is ChartType {
  return typeof value === "string" && (CHART_TYPES as readonly string[]).includes(value);
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
  if (Array.isArray(obj.categories))
    options.categories = obj.categories.filter((c): c is string => typeof c === "string");
  if (obj.raw === true) options.raw = true;
  return options;
}

/** A chart spec from JSON (a saved chart, a dashboard's chart summary); the query is the server's, kept as is. */
export function parseChartSpec(raw: unknown, what = "chart"): ChartSpec {
  const obj = expectObject(raw, what);
  if (!isChartType(obj.chart_type))
    throw new PropsError(`${what}: "chart_type" must be one of ${CHART_TYPES.join(", ")}`);
  const query = expectObject(obj.query, `${what} query`) as AggregateQuery;
  return { chart_type: obj.chart_type, query, options: parseChartOptions(obj.options) };
}

export function optionalNumber(obj: Record<string, unknown>, key: string): number | null {
  const value = obj[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isFinite(value)) throw new PropsError(`"${key}" must be a number or null`);
  return value;
}

const chartFields = z.object(
  {
    id: z.union([z.string(), z.number()], { error: `"chart.id" is missing` }).transform(String),
    title: textField("title"),
    dataset: z
      .unknown()
      .optional()
      .transform((value) => String(value ?? "")),
    version_number: z
      .number({ error: `"version_number" must be a number or null` })
      .nullish()
      .transform((value) => value ?? null),
  } satisfies FieldsOf<Pick<Schemas["Chart"], "id" | "title" | "dataset" | "version_number">>,
  { error: "chart must be a JSON object" },
);

/** A saved chart as the charts API answers it; its spec is read as any chart spec is. */
export function parseChart(raw: unknown): Chart {
  const fields = parseWith(chartFields, raw);
  return { ...parseChartSpec(raw, "chart"), ...fields };
}

// ---- Dashboards: /api/v1/dashboards/ ----

/** A tile: a saved chart or (chart null) a text note, placed on a 12-column grid. */
export interface Tile {
  id: number | null;
  chart: string | null;
  text: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A dashboard-wide filter, applied to the tiles whose dataset has the column. */
export type DashboardFilter = QueryFilter;

/** Whether a dashboard filter is set: one declared without a value is offered to fill in and filters nothing
 * (apps/dashboards/selectors.py has_value). */
export function isSetFilter(filter: DashboardFilter): boolean {
  const value = filter.value as unknown;
  return value !== null && value !== undefined && value !== "" && !(Array.isArray(value) && value.length === 0);
}

export interface Dashboard {
  id: string;
  workspace: string;
  slug: string;
  title: string;
  description: string;
  filters: DashboardFilter[];
  tiles: Tile[];
  page_url: string;
}

/** A grid position or size: a whole number, at least `least`; anything else reads as `fallback`. */
function gridNumber(fallback: number, least = 0) {
  return z
    .unknown()
    .optional()
    .transform((value) =>
      Math.max(least, typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.round(value) : fallback),
    );
}

const tile = z.object(
  {
    id: z
      .unknown()
      .optional()
      .transform((value) => (typeof value === "number" ? value : null)),
    chart: z
      .unknown()
      .optional()
      .transform((value) => (typeof value === "string" && value !== "" ? value : null)),
    text: z
      .unknown()
      .optional()
      .transform((value) => (typeof value === "string" ? value : "")),
    x: gridNumber(0),
    y: gridNumber(0),
    w: gridNumber(6, 1),
    h: gridNumber(4, 1),
  } satisfies FieldsOf<Pick<Schemas["Tile"], "id" | "chart" | "text" | "x" | "y" | "w" | "h">>,
  { error: "{path} must be a JSON object" },
);

const dashboard = z.object(
  {
    id: z
      .unknown()
      .optional()
      .transform((value) => String(value ?? "")),
    workspace: textField("workspace"),
    slug: textField("slug"),
    title: textField("title"),
    description: textField("description"),
    filters: z.unknown().optional(),
    tiles: z
      .array(tile, { error: `"tiles" must be a list` })
      .nullish()
      .transform((tiles) => tiles ?? []),
    page_url: textField("page_url"),
  } satisfies NamesOf<
    Pick<Schemas["Dashboard"], "id" | "workspace" | "slug" | "title" | "description" | "filters" | "tiles" | "page_url">
  >,
  { error: "dashboard must be a JSON object" },
);

/** A dashboard as DashboardSerializer writes it (page props, list items, the PATCH answer). */
export function parseDashboard(raw: unknown): Dashboard {
  const read = parseWith(dashboard, raw);
  return { ...read, filters: parseFilters(read.filters) };
}
