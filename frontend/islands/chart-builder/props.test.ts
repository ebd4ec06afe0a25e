import { describe, expect, it } from "vitest";
import { builderProps } from "./fixtures";
import { parseChartBuilderProps } from "./props";

describe("chart-builder props", () => {
  it("reads the props explore_props builds", () => {
    const props = builderProps();
    expect(parseChartBuilderProps(JSON.parse(JSON.stringify(props)))).toEqual(props);
  });

  it("reads a saved chart, and profile figures that are missing", () => {
    const raw = {
      ...builderProps(),
      columns: [{ name: "note", type: "text", distinct: null, nulls: null }],
      chart: {
        id: "c1",
        workspace: "acme",
        dataset: "d1",
        dataset_title: "Seattle weather",
        title: "Rain",
        chart_type: "pie",
        query: { group_by: ["weather"], measures: [{ fn: "count" }] },
        options: { x: "weather", measures: ["count"] },
        version_number: 3,
        explore_url: "/w/acme/seattle/explore/?chart=c1",
      },
    };
    const props = parseChartBuilderProps(raw);
    expect(props.columns).toEqual([{ name: "note", type: "text", distinct: null, nulls: null, min: null, max: null }]);
    expect(props.chart).toMatchObject({ id: "c1", title: "Rain", chart_type: "pie", version_number: 3 });
    expect(props.chart?.options).toMatchObject({ x: "weather", series: null, measures: ["count"] });
  });

  it("names what is wrong", () => {
    expect(() => parseChartBuilderProps({ ...builderProps(), queryUrl: "" })).toThrow(/queryUrl/);
    expect(() => parseChartBuilderProps({ ...builderProps(), versions: ["2"] })).toThrow(/versions/);
    expect(() =>
      parseChartBuilderProps({ ...builderProps(), chart: { id: "c", chart_type: "donut", query: {} } }),
    ).toThrow(/chart_type/);
  });
});
