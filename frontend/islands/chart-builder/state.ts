// The chart builder's state, its defaults from the column profile, and its translation to and from a
// saved chart (aggregate query + drawing options). Pure functions: the component only holds the state.
import { groupBinWidth, groupBucket, groupColumn, measureName, queryTitle } from "../../components/chart/spec";
import {
  isBucket,
  isFilterOp,
  isMeasureFn,
  isNumericType,
  isTemporalType,
  type AggregateQuery,
  type Bucket,
  type ChartOptions,
  type ChartSpec,
  type ChartType,
  type MeasureFn,
  type QueryFilter,
  type QueryGroup,
  type QueryMeasure,
} from "../../lib/contract";
import { filterValueText, isCompleteFilter, typedFilterValue, type FilterState } from "./filterValues";
import type { ProfileColumn } from "./props";

export interface MeasureState {
  fn: MeasureFn;
  /** null: count rows */
  column: string | null;
  /** An explicit output name kept from a saved chart. */
  as?: string;
}

export interface BuilderState {
  chartType: ChartType;
  /** The source column on the x axis (categories, time, histogram bins); null for KPI. */
  x: string | null;
  bucket: Bucket;
  binWidth: number | null;
  /** A source column whose values become separate series. */
  series: string | null;
  measures: MeasureState[];
  filters: FilterState[];
  /** An output column name. */
  orderBy: string | null;
  orderDesc: boolean;
  limit: number;
  stacked: boolean;
  horizontal: boolean;
  /** A scatter of the (x, y) points themselves, not of a measure per x. */
  raw: boolean;
  /** The y column of a raw scatter. */
  y: string | null;
}

export const DEFAULT_LIMIT = 1000;
/** A raw scatter draws at most this many points (each distinct (x, y) pair once). */
export const RAW_POINTS_LIMIT = 5000;
export const MAX_LIMIT = 10000;
/** Text columns with at most this many distinct values make a readable bar chart. */
export const LOW_CARDINALITY = 50;
const TARGET_BINS = 20;

export const COUNT: MeasureState = { fn: "count", column: null };

export function columnType(columns: ProfileColumn[], name: string | null): string | undefined {
  return name === null ? undefined : columns.find((column) => column.name === name)?.type;
}

export function usesX(type: ChartType): boolean {
  return type !== "kpi";
}

export function usesSeries(type: ChartType): boolean {
  return type !== "kpi" && type !== "pie";
}

/** Columns the x axis may take for a chart type: histograms bin a number column. */
export function xColumnsFor(type: ChartType, columns: ProfileColumn[]): ProfileColumn[] {
  return type === "histogram" ? columns.filter((column) => isNumericType(column.type)) : columns;
}

export function isLowCardinalityText(column: ProfileColumn): boolean {
  return column.type === "text" && column.distinct !== null && column.distinct <= LOW_CARDINALITY;
}

function profileNumber(value: number | string | null): number | null {
  if (value === null) return null;
  const number = typeof value === "number" ? value : Number(value);
  return Number.isFinite(number) ? number : null;
}

/** A round bin width that cuts [min, max] into about `target` bins: 1, 2, 2.5 or 5 times a power of ten. */
export function niceBinWidth(min: number, max: number, wholeNumbers = false, target = TARGET_BINS): number {
  const range = max - min;
  if (!Number.isFinite(range) || range <= 0) return 1;
  const raw = range / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const steps = wholeNumbers ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
  const step = steps.find((s) => s * power >= raw * (1 - 1e-9)) ?? 10;
  const width = Number((step * power).toPrecision(12));
  return wholeNumbers ? Math.max(1, Math.round(width)) : width;
}

export function defaultBinWidth(column: ProfileColumn | undefined): number {
  if (column === undefined) return 1;
  const min = profileNumber(column.min);
  const max = profileNumber(column.max);
  if (min === null || max === null) return 1;
  return niceBinWidth(min, max, column.type !== "float");
}

function base(overrides: Partial<BuilderState>): BuilderState {
  return {
    chartType: "bar",
    x: null,
    bucket: "month",
    binWidth: null,
    series: null,
    measures: [COUNT],
    filters: [],
    orderBy: null,
    orderDesc: false,
    limit: DEFAULT_LIMIT,
    stacked: false,
    horizontal: false,
    raw: false,
    y: null,
    ...overrides,
  };
}

/**
 * The chart proposed for a dataset nobody has charted yet: a date/timestamp column gives a line of counts
 * by month, else a low-cardinality text column a bar of counts, else a number column a histogram.
 */
export function defaultState(columns: ProfileColumn[]): BuilderState {
  const temporal = columns.find((column) => isTemporalType(column.type));
  if (temporal) return base({ chartType: "line", x: temporal.name, bucket: "month" });
  const category = columns.find(isLowCardinalityText);
  if (category) return base({ chartType: "bar", x: category.name, orderBy: "count", orderDesc: true });
  const numeric = columns.find((column) => isNumericType(column.type));
  if (numeric) return base({ chartType: "histogram", x: numeric.name, binWidth: defaultBinWidth(numeric) });
  return base({ chartType: "kpi" });
}

/** A sensible x column for a chart type when the current one does not fit. */
function pickX(type: ChartType, columns: ProfileColumn[]): string | null {
  const temporal = columns.find((c) => isTemporalType(c.type));
  const category = columns.find(isLowCardinalityText);
  const numeric = columns.find((c) => isNumericType(c.type));
  let pick: ProfileColumn | undefined;
  if (type === "histogram") pick = numeric;
  else if (type === "line" || type === "area") pick = temporal ?? category ?? numeric;
  else if (type === "scatter") pick = numeric ?? temporal;
  else if (type === "kpi") pick = undefined;
  else pick = category ?? temporal ?? columns[0];
  return pick?.name ?? null;
}

export function changeX(state: BuilderState, x: string | null, columns: ProfileColumn[]): BuilderState {
  const next: BuilderState = { ...state, x };
  if (state.chartType === "histogram" && x !== null && isNumericType(columnType(columns, x))) {
    next.binWidth = defaultBinWidth(columns.find((column) => column.name === x));
  }
  if (next.series === x) next.series = null;
  if (state.orderBy !== null && state.orderBy === state.x) next.orderBy = null;
  return next;
}

export function changeChartType(state: BuilderState, type: ChartType, columns: ProfileColumn[]): BuilderState {
  let next: BuilderState = { ...state, chartType: type };
  if (!usesX(type)) {
    next = { ...next, x: null, series: null, orderBy: null };
  } else {
    let fits = next.x !== null && xColumnsFor(type, columns).some((column) => column.name === next.x);
    // A pie of dates or numbers has a slice per value: propose a column with few values instead.
    const x = columns.find((column) => column.name === next.x);
    if (type === "pie" && x !== undefined && !isLowCardinalityText(x) && columns.some(isLowCardinalityText))
      fits = false;
    if (!fits) next = changeX(next, pickX(type, columns), columns);
    else if (type === "histogram" && next.binWidth === null) {
      next.binWidth = defaultBinWidth(columns.find((column) => column.name === next.x));
    }
  }
  if (!usesSeries(type)) next.series = null;
  if (type !== "scatter") next.raw = false;
  if (next.measures.length === 0) next.measures = [COUNT];
  return next;
}

/** Columns a measure function accepts: sum and avg need numbers, median numbers or dates. */
export function measureColumnsFor(fn: MeasureFn, columns: ProfileColumn[]): ProfileColumn[] {
  if (fn === "sum" || fn === "avg") return columns.filter((c) => isNumericType(c.type));
  if (fn === "median") return columns.filter((c) => isNumericType(c.type) || isTemporalType(c.type));
  return columns;
}

export function changeMeasureFn(measure: MeasureState, fn: MeasureFn, columns: ProfileColumn[]): MeasureState {
  const allowed = measureColumnsFor(fn, columns);
  let column = measure.column;
  if (fn === "count") return { fn, column };
  if (column === null || !allowed.some((c) => c.name === column)) column = allowed[0]?.name ?? null;
  return { fn, column };
}

function queryMeasure(measure: MeasureState): QueryMeasure {
  const out: QueryMeasure = measure.column === null ? { fn: measure.fn } : { fn: measure.fn, column: measure.column };
  if (measure.as) out.as = measure.as;
  return out;
}

export function isRawScatter(state: BuilderState): boolean {
  return state.chartType === "scatter" && state.raw;
}

/** The y column of a raw scatter, when it is one of the dataset's and not the x column. */
function rawY(state: BuilderState, columns: ProfileColumn[]): string | null {
  if (!isRawScatter(state) || state.y === null || state.y === state.x) return null;
  return columnType(columns, state.y) === undefined ? null : state.y;
}

function xGroup(state: BuilderState, columns: ProfileColumn[]): QueryGroup | null {
  if (!usesX(state.chartType) || state.x === null) return null;
  const type = columnType(columns, state.x);
  if (type === undefined) return null;
  if (isRawScatter(state)) return state.x;
  if (isTemporalType(type)) return { column: state.x, bucket: state.bucket };
  if (state.chartType === "histogram" && isNumericType(type)) {
    return { column: state.x, bin_width: state.binWidth !== null && state.binWidth > 0 ? state.binWidth : 1 };
  }
  return state.x;
}

function seriesColumn(state: BuilderState, columns: ProfileColumn[]): string | null {
  if (!usesSeries(state.chartType) || state.series === null || state.series === state.x) return null;
  return columnType(columns, state.series) === undefined ? null : state.series;
}

function measuresOf(state: BuilderState): MeasureState[] {
  return state.measures.filter((measure) => measure.fn === "count" || measure.column !== null);
}

/** Output columns of the query, in answer order: x, series, then the measures. */
export function outputNames(state: BuilderState, columns: ProfileColumn[]): string[] {
  const names: string[] = [];
  const x = xGroup(state, columns);
  if (x !== null) names.push(groupColumn(x));
  const series = seriesColumn(state, columns);
  if (series !== null) names.push(series);
  for (const measure of measuresOf(state)) names.push(measureName(queryMeasure(measure)));
  return names;
}

/** The aggregate query body for the state; null when it would ask nothing (no group and no measure). */
export function buildQuery(state: BuilderState, columns: ProfileColumn[]): AggregateQuery | null {
  const groups: QueryGroup[] = [];
  const x = xGroup(state, columns);
  if (x !== null) groups.push(x);
  const y = rawY(state, columns);
  // Raw points: each distinct (x, y) pair is one group, without a measure.
  if (isRawScatter(state)) return x === null || y === null ? null : rawQuery(state, columns, [x, y]);
  const series = seriesColumn(state, columns);
  if (series !== null) groups.push(series);
  const measures = measuresOf(state).map(queryMeasure);
  if (groups.length === 0 && measures.length === 0) return null;
  const filters = queryFilters(state, columns);
  const orderBy =
    state.orderBy !== null && outputNames(state, columns).includes(state.orderBy)
      ? [{ column: state.orderBy, desc: state.orderDesc }]
      : [];
  const limit = Math.min(MAX_LIMIT, Math.max(1, Math.round(state.limit) || DEFAULT_LIMIT));
  return { filters, group_by: groups, measures, order_by: orderBy, limit };
}

function queryFilters(state: BuilderState, columns: ProfileColumn[]): QueryFilter[] {
  return state.filters
    .filter((filter) => isCompleteFilter(filter, columns))
    .map((filter) => ({
      column: filter.column,
      op: filter.op,
      value: typedFilterValue(columnType(columns, filter.column), filter.op, filter.value),
    }));
}

function rawQuery(state: BuilderState, columns: ProfileColumn[], groups: QueryGroup[]): AggregateQuery {
  const limit = Math.min(RAW_POINTS_LIMIT, Math.max(1, Math.round(state.limit) || RAW_POINTS_LIMIT));
  return { filters: queryFilters(state, columns), group_by: groups, measures: [], order_by: [], limit };
}

/** The drawing options saved with the chart: x, series and measures as output column names. */
export function buildOptions(state: BuilderState, columns: ProfileColumn[]): ChartOptions {
  const x = xGroup(state, columns);
  const y = rawY(state, columns);
  if (isRawScatter(state))
    return { x: x === null ? null : groupColumn(x), series: null, measures: y ? [y] : [], raw: true };
  return {
    x: x === null ? null : groupColumn(x),
    series: seriesColumn(state, columns),
    measures: measuresOf(state).map((measure) => measureName(queryMeasure(measure))),
    stacked: state.stacked,
    horizontal: state.horizontal,
  };
}

export function buildSpec(state: BuilderState, columns: ProfileColumn[]): ChartSpec | null {
  const query = buildQuery(state, columns);
  if (query === null) return null;
  return { chart_type: state.chartType, query, options: buildOptions(state, columns) };
}

/** The builder state that edits a saved chart (its query may be in the server's normalized form). */
export function stateFromChart(chart: ChartSpec, columns: ProfileColumn[]): BuilderState {
  const { query, options } = chart;
  const groups = Array.isArray(query.group_by) ? query.group_by : [];
  const names = groups.map(groupColumn);
  const xName = usesX(chart.chart_type) ? (options.x ?? names[0] ?? null) : null;
  const group = groups.find((g) => groupColumn(g) === xName);
  let series: string | null = null;
  if (options.series !== undefined) series = options.series;
  else series = names.find((name) => name !== xName) ?? null;

  const measures: MeasureState[] = (Array.isArray(query.measures) ? query.measures : [])
    .filter((m) => isMeasureFn(m.fn))
    .map((m) => {
      const column = m.column ?? null;
      const measure: MeasureState = { fn: m.fn, column };
      // a normalized query names every measure; keep only names that differ from the default
      if (m.as && m.as !== measureName({ fn: m.fn, column })) measure.as = m.as;
      return measure;
    });
  const filters: FilterState[] = (Array.isArray(query.filters) ? query.filters : []).map((f) => ({
    column: f.column,
    op: isFilterOp(f.op) ? f.op : "exact",
    value: filterValueText(f.op === "isnull" ? (f.value ?? true) : f.value),
  }));
  const order = Array.isArray(query.order_by) ? query.order_by[0] : undefined;
  const bucket = groupBucket(group);
  if (chart.chart_type === "scatter" && options.raw === true) {
    const y = options.measures?.[0] ?? names.find((name) => name !== xName) ?? null;
    const limit = typeof query.limit === "number" ? query.limit : RAW_POINTS_LIMIT;
    return base({ chartType: "scatter", raw: true, x: xName, y, filters, limit });
  }
  const binWidth = groupBinWidth(group);
  return base({
    chartType: chart.chart_type,
    x: xName,
    bucket: isBucket(bucket) ? bucket : "month",
    binWidth:
      binWidth ??
      (chart.chart_type === "histogram" && xName !== null
        ? defaultBinWidth(columns.find((column) => column.name === xName))
        : null),
    series,
    measures: measures.length > 0 || groups.length > 0 ? measures : [COUNT],
    filters,
    orderBy: order ? order.column : null,
    orderDesc: order?.desc === true,
    limit: typeof query.limit === "number" ? query.limit : DEFAULT_LIMIT,
    stacked: options.stacked === true,
    horizontal: options.horizontal === true,
  });
}

/** A title to offer when the user gives none: "Count by weather", "Average temp_max by month". */
export function suggestTitle(state: BuilderState, columns: ProfileColumn[]): string {
  if (isRawScatter(state) && state.x !== null && state.y !== null) return `${state.y} against ${state.x}`;
  const query = buildQuery(state, columns);
  return query === null ? "Rows" : queryTitle(query, state.chartType);
}

/** The aggregate endpoint of a pinned version: /api/v1/datasets/<id>/versions/<n>/query/. */
export function versionQueryUrl(queryUrl: string, version: number | null): string {
  if (version === null) return queryUrl;
  return queryUrl.replace(/query\/?$/, `versions/${version}/query/`);
}

/** The measure "Add measure" proposes: one the chart does not have yet (two equal names would be refused). */
export function nextMeasure(measures: MeasureState[], columns: ProfileColumn[]): MeasureState {
  const taken = new Set(measures.map((m) => measureName({ fn: m.fn, column: m.column, as: m.as })));
  const candidates: MeasureState[] = [COUNT];
  for (const column of columns) {
    if (isNumericType(column.type))
      candidates.push({ fn: "avg", column: column.name }, { fn: "sum", column: column.name });
  }
  for (const column of columns) candidates.push({ fn: "count_distinct", column: column.name });
  return candidates.find((m) => !taken.has(measureName(m))) ?? COUNT;
}
