// The ECharts option for a chart spec and its answer: pure, so every chart type is tested without a canvas.
import { colorsFor } from "./colors";
import { formatBound, toNumber } from "./format";
import { isNumericType, isTemporalType, type ChartSpec, type QueryAnswer, type Row } from "../../lib/contract";
import { groupBinWidth, groupBucket, groupColumn, measureName, outputLabel } from "./spec";

export interface AxisOption {
  type: "category" | "value" | "time";
  data?: string[];
  name?: string;
  inverse?: boolean;
  scale?: boolean;
  nameLocation?: "start" | "middle" | "end";
  nameGap?: number;
  axisLabel?: Record<string, unknown>;
}

export interface SeriesOption {
  type: "bar" | "line" | "scatter" | "pie";
  name: string;
  data: unknown[];
  stack?: string;
  areaStyle?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The subset of ECharts' option this module writes; ChartView hands it to `setOption` as is. */
export interface ChartOption {
  tooltip: Record<string, unknown>;
  legend: Record<string, unknown>;
  grid?: Record<string, unknown>;
  xAxis?: AxisOption;
  yAxis?: AxisOption;
  series: SeriesOption[];
}

/** Which output columns play which part: x (categories or positions), series (one line/bar per value), measures. */
export interface ChartRoles {
  x: string | null;
  series: string | null;
  measures: string[];
}

export const EMPTY_LABEL = "(empty)";

export function chartRoles(spec: ChartSpec, data: QueryAnswer): ChartRoles {
  const names = new Set(data.columns.map((column) => column.name));
  const groups = (spec.query.group_by ?? []).map(groupColumn).filter((name) => names.has(name));
  const { options } = spec;
  const x = options.x && names.has(options.x) ? options.x : (groups[0] ?? null);
  let series: string | null = null;
  if (options.series && names.has(options.series) && options.series !== x) series = options.series;
  else if (options.series === undefined) series = groups.find((name) => name !== x) ?? null;
  let measures = (options.measures ?? []).filter((name) => names.has(name) && name !== x && name !== series);
  if (measures.length === 0) {
    measures = (spec.query.measures ?? []).map(measureName).filter((name) => names.has(name));
  }
  if (measures.length === 0) {
    measures = data.columns
      .filter((c) => c.name !== x && c.name !== series && isNumericType(c.type))
      .map((c) => c.name);
  }
  return { x, series, measures };
}

function bucketOf(spec: ChartSpec, column: string | null): string | null {
  if (column === null) return null;
  return groupBucket((spec.query.group_by ?? []).find((group) => groupColumn(group) === column));
}

/** A category label: null as "(empty)", bucketed dates shortened to their bucket ("2024-03", "2024 Q1"). */
export function categoryLabel(value: unknown, bucket: string | null = null): string {
  if (value === null || value === undefined || value === "") return EMPTY_LABEL;
  const text = String(value);
  if (bucket !== null && /^\d{4}-\d{2}-\d{2}/.test(text)) {
    if (bucket === "year") return text.slice(0, 4);
    if (bucket === "quarter") return `${text.slice(0, 4)} Q${Math.floor((Number(text.slice(5, 7)) - 1) / 3) + 1}`;
    if (bucket === "month") return text.slice(0, 7);
    return text.slice(0, 10);
  }
  return text;
}

/** Distinct values of `column` in the order they first appear (the server sorts groups ascending). */
function distinctLabels(rows: Row[], column: string | null, bucket: string | null): string[] {
  if (column === null) return [];
  const seen = new Set<string>();
  for (const row of rows) seen.add(categoryLabel(row[column], bucket));
  return [...seen];
}

type AxisKind = "category" | "time" | "value";

function xAxisKind(spec: ChartSpec, xType: string | undefined): AxisKind {
  const type = spec.chart_type;
  if (type === "bar" || type === "histogram") return "category";
  if (isTemporalType(xType)) return "time";
  if (isNumericType(xType) && (type === "line" || type === "area" || type === "scatter")) return "value";
  return "category";
}

interface SeriesGroup {
  name: string;
  measure: string;
  rows: Row[];
}

/** One group of rows per (series value × measure), named for the legend. */
function pivot(spec: ChartSpec, rows: Row[], roles: ChartRoles): SeriesGroup[] {
  const label = (measure: string) => outputLabel(spec.query, measure);
  if (roles.series === null) return roles.measures.map((measure) => ({ name: label(measure), measure, rows }));
  const bucket = bucketOf(spec, roles.series);
  const bySeries = new Map<string, Row[]>();
  for (const row of rows) {
    const key = categoryLabel(row[roles.series], bucket);
    const list = bySeries.get(key);
    if (list) list.push(row);
    else bySeries.set(key, [row]);
  }
  const groups: SeriesGroup[] = [];
  for (const [value, seriesRows] of bySeries) {
    for (const measure of roles.measures) {
      const name = roles.measures.length > 1 ? `${value} · ${label(measure)}` : value;
      groups.push({ name, measure, rows: seriesRows });
    }
  }
  return groups;
}

function legendFor(count: number): Record<string, unknown> {
  return count > 1 ? { show: true, type: "scroll", top: 0 } : { show: false };
}

function gridFor(legend: boolean): Record<string, unknown> {
  // ECharts 6 shrinks the plot so axis labels and names stay inside the canvas (its default outerBounds).
  return { left: 8, right: 24, top: legend ? 40 : 24, bottom: 20 };
}

function cartesianOption(spec: ChartSpec, data: QueryAnswer, roles: ChartRoles): ChartOption {
  const type = spec.chart_type;
  const xType = data.columns.find((column) => column.name === roles.x)?.type;
  const kind: AxisKind = roles.x === null ? "category" : xAxisKind(spec, xType);
  const xBucket = bucketOf(spec, roles.x);
  const groups = pivot(spec, data.rows, roles);
  const stacked = spec.options.stacked === true && type !== "scatter";
  const categories = roles.x === null ? ["Total"] : distinctLabels(data.rows, roles.x, xBucket);

  // One series per category of the series column: each keeps its own colour whatever the filters.
  const colors =
    groups.length > 1
      ? colorsFor(
          groups.map((group) => group.name),
          spec.options.categories,
        )
      : null;
  const series: SeriesOption[] = groups.map((group) => {
    let points: unknown[];
    if (kind === "category") {
      const byCategory = new Map<string, number | null>();
      for (const row of group.rows) {
        const key = roles.x === null ? "Total" : categoryLabel(row[roles.x], xBucket);
        byCategory.set(key, toNumber(row[group.measure]));
      }
      points = categories.map((category) => byCategory.get(category) ?? null);
    } else {
      const xName = roles.x as string;
      const pairs = group.rows
        .filter((row) => row[xName] !== null && row[xName] !== undefined)
        .map((row): [string | number, number | null] => [
          kind === "time" ? String(row[xName]) : (toNumber(row[xName]) ?? 0),
          toNumber(row[group.measure]),
        ]);
      if (type !== "scatter") {
        const position = (value: string | number) => (typeof value === "number" ? value : Date.parse(value));
        pairs.sort((a, b) => position(a[0]) - position(b[0]));
      }
      points = pairs;
    }
    const item: SeriesOption = {
      type: type === "bar" ? "bar" : type === "scatter" ? "scatter" : "line",
      name: group.name,
      data: points,
    };
    if (stacked) item.stack = roles.series !== null && roles.measures.length > 1 ? group.measure : "total";
    if (type === "area") item.areaStyle = { opacity: stacked ? 0.85 : 0.35 };
    if (type === "line" || type === "area") item.showSymbol = points.length <= 60;
    if (type === "scatter") item.symbolSize = 8;
    const color = colors?.get(group.name);
    if (color !== undefined) item.itemStyle = { color };
    return item;
  });

  const categoryAxis: AxisOption =
    kind === "category"
      ? { type: "category", data: categories, axisLabel: { hideOverlap: true } }
      : { type: kind, scale: kind === "value" };
  const valueAxis: AxisOption = { type: "value" };
  if (roles.measures.length === 1 && roles.measures[0] !== undefined) {
    valueAxis.name = outputLabel(spec.query, roles.measures[0]);
  }
  if (type === "scatter") valueAxis.scale = true;
  const horizontal = type === "bar" && spec.options.horizontal === true;
  const legend = legendFor(series.length);
  return {
    tooltip: {
      trigger: type === "scatter" ? "item" : "axis",
      axisPointer: { type: type === "bar" ? "shadow" : "line" },
      // Drawn on the canvas: the HTML tooltip writes style attributes, which the pages' CSP refuses.
      renderMode: "richText",
      confine: true,
    },
    legend,
    grid: gridFor(legend.show === true),
    // Horizontal bars read top to bottom in the answer's order.
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? { ...categoryAxis, inverse: true } : valueAxis,
    series,
  };
}

const MAX_FILLED_BINS = 2000;

/** Histogram bins: every bin from the lowest to the highest lower bound, so empty bins show as gaps of 0. */
function histogramOption(spec: ChartSpec, data: QueryAnswer, roles: ChartRoles): ChartOption {
  const x = roles.x;
  const measure = roles.measures[0];
  const group = (spec.query.group_by ?? []).find((g) => x !== null && groupColumn(g) === x);
  const binWidth = groupBinWidth(group);
  const rows = x === null ? [] : data.rows.filter((row) => toNumber(row[x]) !== null);
  const lows = [...new Set(rows.map((row) => toNumber(row[x as string]) as number))].sort((a, b) => a - b);

  let bins = lows;
  let indexOf = (low: number): number => lows.indexOf(low);
  const first = lows[0];
  const last = lows[lows.length - 1];
  if (binWidth !== null && first !== undefined && last !== undefined) {
    const count = Math.round((last - first) / binWidth) + 1;
    if (count <= MAX_FILLED_BINS) {
      bins = Array.from({ length: count }, (_, i) => first + i * binWidth);
      indexOf = (low) => Math.round((low - first) / binWidth);
    }
  }
  const labels = bins.map((low) =>
    binWidth === null ? formatBound(low) : `${formatBound(low)} – ${formatBound(low + binWidth)}`,
  );

  const groups = measure === undefined ? [] : pivot(spec, rows, { ...roles, measures: [measure] });
  const series: SeriesOption[] = groups.map((g) => {
    const values: number[] = bins.map(() => 0);
    for (const row of g.rows) {
      const index = indexOf(toNumber(row[x as string]) as number);
      if (index >= 0 && index < values.length) values[index] = toNumber(row[g.measure]) ?? 0;
    }
    return {
      type: "bar",
      name: g.name,
      data: values,
      stack: "total",
      barCategoryGap: "0%",
      itemStyle: { borderColor: "#ffffff", borderWidth: 1 },
    };
  });
  const legend = legendFor(series.length);
  return {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText", confine: true },
    legend,
    grid: gridFor(legend.show === true),
    xAxis: {
      type: "category",
      data: labels,
      name: x ?? undefined,
      nameLocation: "middle",
      nameGap: 28,
      axisLabel: { hideOverlap: true },
    },
    yAxis: { type: "value", name: measure === undefined ? undefined : outputLabel(spec.query, measure) },
    series,
  };
}

function pieOption(spec: ChartSpec, data: QueryAnswer, roles: ChartRoles): ChartOption {
  const measure = roles.measures[0];
  let slices: { name: string; value: number | null }[];
  if (roles.x === null) {
    const row = data.rows[0] ?? {};
    slices = roles.measures.map((m) => ({ name: outputLabel(spec.query, m), value: toNumber(row[m]) }));
  } else {
    const x = roles.x;
    const bucket = bucketOf(spec, x);
    slices =
      measure === undefined
        ? []
        : data.rows.map((row) => ({ name: categoryLabel(row[x], bucket), value: toNumber(row[measure]) }));
  }
  const colors = colorsFor(
    slices.map((slice) => slice.name),
    spec.options.categories,
  );
  const visible = slices
    .filter((slice) => slice.value !== null && slice.value >= 0)
    .map((slice) => ({ ...slice, itemStyle: { color: colors.get(slice.name) } }));
  const legend = legendFor(visible.length);
  return {
    tooltip: { trigger: "item", renderMode: "richText", confine: true },
    legend,
    series: [
      {
        type: "pie",
        name: measure === undefined ? "" : outputLabel(spec.query, measure),
        radius: ["0%", "65%"],
        center: ["50%", legend.show ? "55%" : "50%"],
        data: visible,
        label: { formatter: "{b}: {d}%" },
      },
    ],
  };
}

/** The ECharts option for bar, line, area, scatter, pie and histogram charts (KPI and table draw no ECharts). */
export function buildOption(spec: ChartSpec, data: QueryAnswer): ChartOption {
  const roles = chartRoles(spec, data);
  if (spec.chart_type === "pie") return pieOption(spec, data, roles);
  if (spec.chart_type === "histogram") return histogramOption(spec, data, roles);
  return cartesianOption(spec, data, roles);
}

/** The names a chart colours (pie slices, or its series when there are several), sorted: saved with the
 * chart as `options.categories`, so each keeps its colour when filters leave some out. */
export function chartCategories(spec: ChartSpec, data: QueryAnswer): string[] {
  const option = buildOption({ ...spec, options: { ...spec.options, categories: undefined } }, data);
  const pie = option.series[0]?.type === "pie";
  const names = pie
    ? (option.series[0]?.data ?? []).map((slice) => (slice as { name: string }).name)
    : option.series.length > 1
      ? option.series.map((series) => series.name)
      : [];
  return [...new Set(names)].sort().slice(0, 200);
}

/** Each coloured category's colour as drawn (pie slices, or series), for the page to state what it drew. */
export function categoryColors(option: ChartOption): Record<string, string> {
  const colors: Record<string, string> = {};
  const first = option.series[0];
  const items =
    first?.type === "pie" ? (first.data as { name: string; itemStyle?: { color?: string } }[]) : option.series;
  for (const item of items as { name: string; itemStyle?: { color?: string } }[]) {
    if (item.itemStyle?.color) colors[item.name] = item.itemStyle.color;
  }
  return colors;
}
