import { describe, expect, it } from "vitest";
import { buildOption, chartCategories, categoryLabel, chartRoles } from "./buildOption";
import type { AggregateQuery, ChartOptions, ChartSpec, ChartType, QueryAnswer } from "../../lib/contract";

function spec(chart_type: ChartType, query: AggregateQuery, options: ChartOptions = {}): ChartSpec {
  return { chart_type, query, options };
}

const byWeather: AggregateQuery = { group_by: ["weather"], measures: [{ fn: "count" }] };
const weatherCounts: QueryAnswer = {
  columns: [
    { name: "weather", type: "text" },
    { name: "count", type: "integer" },
  ],
  rows: [
    { weather: "rain", count: 12 },
    { weather: "sun", count: 30 },
    { weather: null, count: 2 },
  ],
};

const byMonthAndWeather: AggregateQuery = {
  group_by: [{ column: "date", bucket: "month" }, "weather"],
  measures: [{ fn: "count" }],
};
const monthlyWeather: QueryAnswer = {
  columns: [
    { name: "date", type: "date" },
    { name: "weather", type: "text" },
    { name: "count", type: "integer" },
  ],
  rows: [
    { date: "2024-01-01", weather: "rain", count: 5 },
    { date: "2024-01-01", weather: "sun", count: 20 },
    { date: "2024-02-01", weather: "rain", count: 9 },
    // no sun in March: the sun series has a gap there
    { date: "2024-03-01", weather: "rain", count: 4 },
  ],
};

describe("chartRoles", () => {
  it("takes x, series and measures from the options when they name answer columns", () => {
    const roles = chartRoles(
      spec("bar", byMonthAndWeather, { x: "date", series: "weather", measures: ["count"] }),
      monthlyWeather,
    );
    expect(roles).toEqual({ x: "date", series: "weather", measures: ["count"] });
  });

  it("falls back to the query: first group is x, second the series, measures by their output names", () => {
    const query: AggregateQuery = { group_by: ["weather"], measures: [{ fn: "avg", column: "temp_max" }] };
    const data: QueryAnswer = {
      columns: [
        { name: "weather", type: "text" },
        { name: "avg_temp_max", type: "float" },
      ],
      rows: [],
    };
    expect(chartRoles(spec("bar", query), data)).toEqual({ x: "weather", series: null, measures: ["avg_temp_max"] });
    expect(chartRoles(spec("bar", byMonthAndWeather), monthlyWeather)).toEqual({
      x: "date",
      series: "weather",
      measures: ["count"],
    });
  });
});

describe("buildOption: bar", () => {
  it("puts the x column's values on a category axis and one bar series per measure", () => {
    const option = buildOption(spec("bar", byWeather, { x: "weather", measures: ["count"] }), weatherCounts);
    expect(option.xAxis).toMatchObject({ type: "category", data: ["rain", "sun", "(empty)"] });
    expect(option.yAxis).toMatchObject({ type: "value", name: "Count" });
    expect(option.series).toHaveLength(1);
    expect(option.series[0]).toMatchObject({ type: "bar", name: "Count", data: [12, 30, 2] });
    expect(option.series[0]?.stack).toBeUndefined();
    expect(option.legend.show).toBe(false);
  });

  it("pivots the series column into one series per value, aligned on the categories, with gaps as null", () => {
    const option = buildOption(
      spec("bar", byMonthAndWeather, { x: "date", series: "weather", measures: ["count"] }),
      monthlyWeather,
    );
    // monthly buckets read as months on a category axis
    expect(option.xAxis?.data).toEqual(["2024-01", "2024-02", "2024-03"]);
    expect(option.series.map((s) => [s.name, s.data])).toEqual([
      ["rain", [5, 9, 4]],
      ["sun", [20, null, null]],
    ]);
    expect(option.legend).toMatchObject({ show: true });
  });

  it("stacks the pivoted series when asked", () => {
    const option = buildOption(
      spec("bar", byMonthAndWeather, { x: "date", series: "weather", measures: ["count"], stacked: true }),
      monthlyWeather,
    );
    expect(option.series.map((s) => s.stack)).toEqual(["total", "total"]);
  });

  it("stacks per measure when both a series column and several measures are drawn", () => {
    const query: AggregateQuery = {
      group_by: ["city", "weather"],
      measures: [{ fn: "count" }, { fn: "sum", column: "rain_mm" }],
    };
    const data: QueryAnswer = {
      columns: [
        { name: "city", type: "text" },
        { name: "weather", type: "text" },
        { name: "count", type: "integer" },
        { name: "sum_rain_mm", type: "float" },
      ],
      rows: [
        { city: "Oslo", weather: "rain", count: 3, sum_rain_mm: 12.5 },
        { city: "Oslo", weather: "sun", count: 1, sum_rain_mm: 0 },
      ],
    };
    const option = buildOption(
      spec("bar", query, { x: "city", series: "weather", measures: ["count", "sum_rain_mm"], stacked: true }),
      data,
    );
    expect(option.series.map((s) => [s.name, s.stack, s.data])).toEqual([
      ["rain · Count", "count", [3]],
      ["rain · Sum of rain_mm", "sum_rain_mm", [12.5]],
      ["sun · Count", "count", [1]],
      ["sun · Sum of rain_mm", "sum_rain_mm", [0]],
    ]);
  });

  it("swaps the axes for horizontal bars, categories top to bottom", () => {
    const option = buildOption(spec("bar", byWeather, { x: "weather", horizontal: true }), weatherCounts);
    expect(option.xAxis).toMatchObject({ type: "value" });
    expect(option.yAxis).toMatchObject({ type: "category", data: ["rain", "sun", "(empty)"], inverse: true });
  });

  it("plots big integers sent as strings of digits as numbers", () => {
    const data: QueryAnswer = {
      columns: [
        { name: "weather", type: "text" },
        { name: "count", type: "bigint" },
      ],
      rows: [{ weather: "rain", count: "9007199254740993" }],
    };
    const option = buildOption(spec("bar", byWeather), data);
    expect(typeof option.series[0]?.data[0]).toBe("number");
  });
});

describe("buildOption: line, area, scatter", () => {
  it("draws a line over a time axis for dates, as [date, value] pairs in date order", () => {
    const data: QueryAnswer = {
      columns: [
        { name: "date", type: "date" },
        { name: "count", type: "integer" },
      ],
      rows: [
        { date: "2024-02-01", count: 7 },
        { date: "2024-01-01", count: 3 },
      ],
    };
    const query: AggregateQuery = { group_by: [{ column: "date", bucket: "month" }], measures: [{ fn: "count" }] };
    const option = buildOption(spec("line", query, { x: "date", measures: ["count"] }), data);
    expect(option.xAxis).toMatchObject({ type: "time" });
    expect(option.series[0]).toMatchObject({
      type: "line",
      data: [
        ["2024-01-01", 3],
        ["2024-02-01", 7],
      ],
    });
    expect(option.series[0]?.areaStyle).toBeUndefined();
  });

  it("fills area charts and stacks them when asked", () => {
    const option = buildOption(
      spec("area", byMonthAndWeather, { x: "date", series: "weather", stacked: true }),
      monthlyWeather,
    );
    expect(option.series.every((s) => s.type === "line" && s.areaStyle !== undefined && s.stack === "total")).toBe(
      true,
    );
    expect(option.series.find((s) => s.name === "sun")?.data).toEqual([["2024-01-01", 20]]);
  });

  it("puts numbers on a value axis for scatter plots", () => {
    const query: AggregateQuery = { group_by: ["temp_max"], measures: [{ fn: "avg", column: "wind" }] };
    const data: QueryAnswer = {
      columns: [
        { name: "temp_max", type: "float" },
        { name: "avg_wind", type: "float" },
      ],
      rows: [
        { temp_max: 10.5, avg_wind: 3.2 },
        { temp_max: 2, avg_wind: 5 },
      ],
    };
    const option = buildOption(spec("scatter", query), data);
    expect(option.xAxis).toMatchObject({ type: "value" });
    expect(option.tooltip.trigger).toBe("item");
    expect(option.series[0]).toMatchObject({
      type: "scatter",
      name: "Average wind",
      data: [
        [10.5, 3.2],
        [2, 5],
      ],
    });
  });

  it("draws tooltips on the canvas, since the page's CSP refuses the HTML tooltip's style attributes", () => {
    for (const type of ["bar", "line", "pie", "histogram"] as const) {
      expect(buildOption(spec(type, byWeather), weatherCounts).tooltip.renderMode).toBe("richText");
    }
  });
});

describe("buildOption: pie", () => {
  it("makes one slice per x value, named by its label", () => {
    const option = buildOption(spec("pie", byWeather, { x: "weather", measures: ["count"] }), weatherCounts);
    expect(option.xAxis).toBeUndefined();
    expect(option.series).toHaveLength(1);
    expect(option.series[0]).toMatchObject({
      type: "pie",
      data: [
        { name: "rain", value: 12 },
        { name: "sun", value: 30 },
        { name: "(empty)", value: 2 },
      ],
    });
  });

  it("leaves out slices without a value", () => {
    const data: QueryAnswer = {
      ...weatherCounts,
      rows: [
        { weather: "rain", count: null },
        { weather: "sun", count: 1 },
      ],
    };
    expect(buildOption(spec("pie", byWeather), data).series[0]?.data).toMatchObject([{ name: "sun", value: 1 }]);
  });

  it("gives each category of a saved chart the same colour whatever else a filter leaves in the answer", () => {
    const all: QueryAnswer = {
      ...weatherCounts,
      rows: ["drizzle", "fog", "rain", "snow", "sun"].map((weather, i) => ({ weather, count: i + 1 })),
    };
    const filtered: QueryAnswer = {
      ...weatherCounts,
      rows: [
        { weather: "fog", count: 2 },
        { weather: "sun", count: 5 },
      ],
    };
    const saved = { ...spec("pie", byWeather) };
    saved.options = { ...saved.options, categories: chartCategories(saved, all) };
    expect(saved.options.categories).toEqual(["drizzle", "fog", "rain", "snow", "sun"]);
    const colorOf = (answer: QueryAnswer, name: string) =>
      (
        buildOption(saved, answer).series[0]?.data as { name: string; itemStyle: { color: string } }[] | undefined
      )?.find((slice) => slice.name === name)?.itemStyle.color;
    expect(colorOf(filtered, "fog")).toBe(colorOf(all, "fog"));
    expect(colorOf(filtered, "sun")).toBe(colorOf(all, "sun"));
    const colors = ["drizzle", "fog", "rain", "snow", "sun"].map((name) => colorOf(all, name));
    expect(new Set(colors).size).toBe(5);
  });
});

describe("buildOption: histogram", () => {
  const query: AggregateQuery = { group_by: [{ column: "temp_max", bin_width: 2.5 }], measures: [{ fn: "count" }] };
  const data: QueryAnswer = {
    columns: [
      { name: "temp_max", type: "float" },
      { name: "count", type: "integer" },
    ],
    rows: [
      { temp_max: -2.5, count: 1 },
      { temp_max: 0, count: 4 },
      // 2.5 has no rows: the bin is drawn empty, not left out
      { temp_max: 5, count: 6 },
      { temp_max: null, count: 3 },
    ],
  };

  it("draws adjacent bars for every bin from the lowest to the highest, empty bins as 0", () => {
    const option = buildOption(spec("histogram", query, { x: "temp_max", measures: ["count"] }), data);
    expect(option.xAxis).toMatchObject({ type: "category", data: ["-2.5 – 0", "0 – 2.5", "2.5 – 5", "5 – 7.5"] });
    expect(option.series).toHaveLength(1);
    expect(option.series[0]).toMatchObject({ type: "bar", barCategoryGap: "0%", data: [1, 4, 0, 6] });
  });

  it("keeps bins free of float noise", () => {
    const tenths: AggregateQuery = { group_by: [{ column: "x", bin_width: 0.1 }], measures: [{ fn: "count" }] };
    const rows = [0.1, 0.2, 0.30000000000000004].map((x) => ({ x, count: 1 }));
    const option = buildOption(spec("histogram", tenths), {
      columns: [
        { name: "x", type: "float" },
        { name: "count", type: "integer" },
      ],
      rows,
    });
    expect(option.xAxis?.data).toEqual(["0.1 – 0.2", "0.2 – 0.3", "0.3 – 0.4"]);
    expect(option.series[0]?.data).toEqual([1, 1, 1]);
  });
});

describe("categoryLabel", () => {
  it("shortens bucketed dates to their bucket", () => {
    expect(categoryLabel("2024-04-01", "quarter")).toBe("2024 Q2");
    expect(categoryLabel("2024-01-01", "year")).toBe("2024");
    expect(categoryLabel("2024-03-01", "month")).toBe("2024-03");
    expect(categoryLabel("2024-03-04", "week")).toBe("2024-03-04");
    expect(categoryLabel(null)).toBe("(empty)");
    expect(categoryLabel(true)).toBe("true");
  });
});
