import { describe, expect, it } from "vitest";
import type { ChartSpec } from "../../lib/contract";
import type { ProfileColumn } from "./props";
import {
  buildOptions,
  buildQuery,
  buildSpec,
  changeChartType,
  changeMeasureFn,
  changeX,
  defaultState,
  nextMeasure,
  niceBinWidth,
  stateFromChart,
  suggestTitle,
  versionQueryUrl,
  type BuilderState,
} from "./state";
import { typedFilterValue } from "./filterValues";

function column(name: string, type: string, profile: Partial<ProfileColumn> = {}): ProfileColumn {
  return { name, type, distinct: null, nulls: 0, min: null, max: null, ...profile };
}

const date = column("date", "date", { distinct: 1461, min: "2012-01-01", max: "2015-12-31" });
const weather = column("weather", "text", { distinct: 5 });
const city = column("city", "text", { distinct: 4000 });
const tempMax = column("temp_max", "float", { distinct: 67, min: -1.6, max: 35.6 });
const visitors = column("visitors", "integer", { distinct: 300, min: 0, max: 1234 });
const big = column("id", "bigint", { distinct: 10 });
const sunny = column("sunny", "boolean", { distinct: 2 });
const seattle = [city, weather, tempMax, date, visitors, big, sunny];

describe("defaultState: a sensible first chart from the profile", () => {
  it("proposes a line chart of count by month for a date column, wherever it is", () => {
    const state = defaultState(seattle);
    expect(state).toMatchObject({
      chartType: "line",
      x: "date",
      bucket: "month",
      measures: [{ fn: "count", column: null }],
    });
    expect(buildQuery(state, seattle)?.group_by).toEqual([{ column: "date", bucket: "month" }]);
  });

  it("else a bar chart of count by the first low-cardinality text column, biggest first", () => {
    const columns = [city, tempMax, weather];
    const state = defaultState(columns);
    expect(state).toMatchObject({ chartType: "bar", x: "weather", orderBy: "count", orderDesc: true });
    expect(buildQuery(state, columns)).toMatchObject({
      group_by: ["weather"],
      measures: [{ fn: "count" }],
      order_by: [{ column: "count", desc: true }],
    });
  });

  it("else a histogram of the first number column with about 20 round bins", () => {
    const columns = [city, tempMax, visitors];
    const state = defaultState(columns);
    expect(state).toMatchObject({ chartType: "histogram", x: "temp_max", binWidth: 2 });
    expect(buildQuery(state, columns)?.group_by).toEqual([{ column: "temp_max", bin_width: 2 }]);
  });

  it("else a KPI of the row count", () => {
    const state = defaultState([city]);
    expect(state.chartType).toBe("kpi");
    expect(buildQuery(state, [city])).toMatchObject({ group_by: [], measures: [{ fn: "count" }] });
  });
});

describe("niceBinWidth", () => {
  it("cuts a range into about 20 bins of 1, 2, 2.5 or 5 times a power of ten", () => {
    expect(niceBinWidth(-1.6, 35.6)).toBe(2);
    expect(niceBinWidth(0, 50)).toBe(2.5);
    expect(niceBinWidth(0, 1)).toBe(0.05);
    expect(niceBinWidth(0, 1_000_000)).toBe(50_000);
    expect(niceBinWidth(5, 5)).toBe(1);
  });

  it("keeps whole-number bins for integer columns", () => {
    expect(niceBinWidth(0, 1234, true)).toBe(100);
    expect(niceBinWidth(0, 7, true)).toBe(1);
    expect(niceBinWidth(0, 50, true)).toBe(5);
  });
});

describe("buildQuery", () => {
  const base = defaultState(seattle);

  it("names measures as the server does and lists them in the options", () => {
    const state: BuilderState = {
      ...base,
      chartType: "bar",
      x: "weather",
      measures: [
        { fn: "count", column: null },
        { fn: "avg", column: "temp_max" },
        { fn: "count_distinct", column: "city" },
      ],
      orderBy: "avg_temp_max",
      orderDesc: true,
    };
    const query = buildQuery(state, seattle);
    expect(query).toEqual({
      filters: [],
      group_by: ["weather"],
      measures: [{ fn: "count" }, { fn: "avg", column: "temp_max" }, { fn: "count_distinct", column: "city" }],
      order_by: [{ column: "avg_temp_max", desc: true }],
      limit: 1000,
    });
    expect(buildOptions(state, seattle)).toEqual({
      x: "weather",
      series: null,
      measures: ["count", "avg_temp_max", "count_distinct_city"],
      stacked: false,
      horizontal: false,
    });
  });

  it("buckets a date x axis and groups by the series column after it", () => {
    const state: BuilderState = { ...base, x: "date", bucket: "quarter", series: "weather" };
    expect(buildQuery(state, seattle)?.group_by).toEqual([{ column: "date", bucket: "quarter" }, "weather"]);
    expect(buildOptions(state, seattle)).toMatchObject({ x: "date", series: "weather" });
  });

  it("types filter values by their column and leaves out rows without a value", () => {
    const state: BuilderState = {
      ...base,
      filters: [
        { column: "temp_max", op: "gte", value: "12.5" },
        { column: "visitors", op: "in", value: "1, 2,3" },
        { column: "id", op: "exact", value: "123456789012345678901" },
        { column: "sunny", op: "exact", value: "true" },
        { column: "weather", op: "icontains", value: " Rain" },
        { column: "date", op: "lt", value: "2014-01-01" },
        { column: "city", op: "isnull", value: "false" },
        { column: "weather", op: "exact", value: "" },
        { column: "gone", op: "exact", value: "x" },
      ],
    };
    expect(buildQuery(state, seattle)?.filters).toEqual([
      { column: "temp_max", op: "gte", value: 12.5 },
      { column: "visitors", op: "in", value: [1, 2, 3] },
      { column: "id", op: "exact", value: "123456789012345678901" },
      { column: "sunny", op: "exact", value: true },
      { column: "weather", op: "icontains", value: " Rain" },
      { column: "date", op: "lt", value: "2014-01-01" },
      { column: "city", op: "isnull", value: false },
    ]);
  });

  it("drops an order by that no longer names an output column, and keeps the limit in range", () => {
    const state: BuilderState = { ...base, orderBy: "avg_temp_max", limit: 50000 };
    const query = buildQuery(state, seattle);
    expect(query?.order_by).toEqual([]);
    expect(query?.limit).toBe(10000);
  });

  it("asks nothing when there is no group and no measure", () => {
    expect(buildQuery({ ...base, chartType: "kpi", x: null, measures: [] }, seattle)).toBeNull();
  });

  it("groups neither x nor series for a KPI, and no series for a pie", () => {
    const kpi = changeChartType({ ...base, series: "weather" }, "kpi", seattle);
    expect(buildQuery(kpi, seattle)?.group_by).toEqual([]);
    const pie = changeChartType({ ...base, x: "weather", series: "city" }, "pie", seattle);
    expect(buildQuery(pie, seattle)?.group_by).toEqual(["weather"]);
  });
});

describe("changing the chart", () => {
  it("moves a histogram's x to a number column with a bin width from its profile", () => {
    const state = changeChartType(defaultState(seattle), "histogram", seattle);
    expect(state).toMatchObject({ chartType: "histogram", x: "temp_max", binWidth: 2 });
    expect(changeX(state, "visitors", seattle).binWidth).toBe(100);
  });

  it("clears the series when it becomes the x axis", () => {
    const state = { ...defaultState(seattle), series: "weather" };
    expect(changeX(state, "weather", seattle).series).toBeNull();
  });

  it("gives a measure a column its function accepts", () => {
    expect(changeMeasureFn({ fn: "count", column: null }, "avg", seattle)).toEqual({ fn: "avg", column: "temp_max" });
    expect(changeMeasureFn({ fn: "max", column: "city" }, "sum", seattle)).toEqual({ fn: "sum", column: "temp_max" });
    expect(changeMeasureFn({ fn: "max", column: "date" }, "median", seattle)).toEqual({ fn: "median", column: "date" });
  });

  it("proposes a measure the chart does not have yet", () => {
    expect(nextMeasure([{ fn: "count", column: null }], seattle)).toEqual({ fn: "avg", column: "temp_max" });
    expect(nextMeasure([], seattle)).toEqual({ fn: "count", column: null });
  });

  it("reads isnull as true unless told false", () => {
    expect(typedFilterValue("text", "isnull", "true")).toBe(true);
    expect(typedFilterValue("text", "isnull", "false")).toBe(false);
  });
});

describe("state ↔ saved chart", () => {
  const edited: BuilderState = {
    ...defaultState(seattle),
    chartType: "area",
    x: "date",
    bucket: "week",
    series: "weather",
    measures: [
      { fn: "sum", column: "visitors" },
      { fn: "max", column: "temp_max", as: "hottest" },
    ],
    filters: [
      { column: "temp_max", op: "gt", value: "3.5" },
      { column: "weather", op: "in", value: "rain,sun" },
      { column: "city", op: "isnull", value: "false" },
    ],
    orderBy: "hottest",
    orderDesc: true,
    limit: 250,
    stacked: true,
  };

  it("restores the builder state from the saved chart it built", () => {
    const spec = buildSpec(edited, seattle)!;
    expect(stateFromChart(spec, seattle)).toEqual(edited);
  });

  it("restores it from the server's normalized form of the query too", () => {
    const spec = buildSpec(edited, seattle)!;
    // what services.check_query stores: defaults filled in, every measure named, keys sorted
    const normalized: ChartSpec = {
      ...spec,
      query: {
        filters: [
          { column: "temp_max", op: "gt", value: 3.5 },
          { column: "weather", op: "in", value: ["rain", "sun"] },
          { column: "city", op: "isnull", value: false },
        ],
        group_by: [
          { bucket: "week", column: "date" },
          { bucket: null, column: "weather" },
        ],
        limit: 250,
        measures: [
          { as: "sum_visitors", column: "visitors", fn: "sum" },
          { as: "hottest", column: "temp_max", fn: "max" },
        ],
        order_by: [{ column: "hottest", desc: true }],
      },
    };
    const restored = stateFromChart(normalized, seattle);
    expect(restored).toEqual(edited);
    expect(buildQuery(restored, seattle)).toEqual(spec.query);
  });

  it("restores a histogram's bin width", () => {
    const spec: ChartSpec = {
      chart_type: "histogram",
      query: { group_by: [{ column: "temp_max", bin_width: 2.5 }], measures: [{ fn: "count" }] },
      options: { x: "temp_max", measures: ["count"] },
    };
    expect(stateFromChart(spec, seattle)).toMatchObject({ chartType: "histogram", x: "temp_max", binWidth: 2.5 });
  });
});

describe("titles and URLs", () => {
  it("suggests a title from the chart", () => {
    const state = {
      ...defaultState(seattle),
      measures: [{ fn: "avg" as const, column: "temp_max" }],
      series: "weather",
    };
    expect(suggestTitle(state, seattle)).toBe("Average temp_max by month and weather");
    expect(suggestTitle(changeChartType(state, "histogram", seattle), seattle)).toBe("Distribution of temp_max");
  });

  it("queries a pinned version at its own endpoint", () => {
    const url = "/api/v1/datasets/5b0e/query/";
    expect(versionQueryUrl(url, null)).toBe(url);
    expect(versionQueryUrl(url, 3)).toBe("/api/v1/datasets/5b0e/versions/3/query/");
  });
});

describe("raw scatter and the pie's proposal", () => {
  it("asks for each distinct (x, y) pair, capped, and comes back from a saved chart", () => {
    const state = {
      ...changeChartType(defaultState(seattle), "scatter", seattle),
      x: "visitors",
      raw: true,
      y: "temp_max",
    };
    const spec = buildSpec(state, seattle);
    expect(spec?.query).toEqual({
      filters: [],
      group_by: ["visitors", "temp_max"],
      measures: [],
      order_by: [],
      limit: 1000,
    });
    expect(spec?.options).toEqual({ x: "visitors", series: null, measures: ["temp_max"], raw: true });
    expect(buildQuery({ ...state, limit: 50000 }, seattle)?.limit).toBe(5000);
    const back = stateFromChart(spec as ChartSpec, seattle);
    expect([back.raw, back.x, back.y]).toEqual([true, "visitors", "temp_max"]);
    expect(suggestTitle(state, seattle)).toBe("temp_max against visitors");
  });

  it("proposes a column with few values for a pie, not the date", () => {
    const pie = changeChartType(defaultState(seattle), "pie", seattle);
    expect(pie.x).toBe("weather");
  });
});
