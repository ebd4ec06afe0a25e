// The saved-chart spec shared by the chart builder and dashboards, and the aggregate query it carries
// (POST /api/v1/datasets/{id}/query/, see DESIGN.md "The aggregate query body, exactly").

export const CHART_TYPES = ["bar", "line", "area", "scatter", "pie", "histogram", "kpi", "table"] as const;
export type ChartType = (typeof CHART_TYPES)[number];

export const MEASURE_FUNCTIONS = ["count", "count_distinct", "sum", "avg", "min", "max", "median"] as const;
export type MeasureFn = (typeof MEASURE_FUNCTIONS)[number];

export const BUCKETS = ["day", "week", "month", "quarter", "year"] as const;
export type Bucket = (typeof BUCKETS)[number];

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

export interface QueryFilter {
  column: string;
  op: FilterOp;
  value?: unknown;
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

/** How to draw the answer; x, series and measures name OUTPUT columns of the query's answer. */
export interface ChartOptions {
  x?: string | null;
  series?: string | null;
  measures?: string[];
  stacked?: boolean;
  horizontal?: boolean;
}

export interface ChartSpec {
  chart_type: ChartType;
  query: AggregateQuery;
  options: ChartOptions;
}

export interface AnswerColumn {
  name: string;
  type: string;
}

export type AnswerRow = Record<string, unknown>;

/** The aggregate answer: `{columns: [{name, type}], rows: [{...}]}`. */
export interface QueryAnswer {
  columns: AnswerColumn[];
  rows: AnswerRow[];
}
