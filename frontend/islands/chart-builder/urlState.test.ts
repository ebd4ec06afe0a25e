import { describe, expect, it } from "vitest";
import type { ChartSpec } from "../../lib/contract";
import { builderSearch, readBuilderState } from "./urlState";

const spec: ChartSpec = {
  chart_type: "line",
  query: { group_by: [{ column: "date", bucket: "month" }], measures: [{ fn: "avg", column: "temp_max" }] },
  options: { x: "date", series: null, measures: ["avg_temp_max"] },
};

describe("the builder's state in the URL", () => {
  it("round-trips the spec, title and pinned version next to the saved chart's id", () => {
    const search = builderSearch("?chart=abc", "abc", { spec, title: "Warm months", version: 2 });
    expect(new URLSearchParams(search).get("chart")).toBe("abc");
    expect(readBuilderState(search)).toEqual({ spec, title: "Warm months", version: 2 });
  });

  it("drops the state when the builder shows the saved chart as it is", () => {
    expect(builderSearch("?chart=abc&b=%7B%7D", "abc", null)).toBe("?chart=abc");
    expect(builderSearch("?chart=abc", null, null)).toBe("");
  });

  it("ignores a mangled state", () => {
    expect(readBuilderState("?b=not-json")).toBeNull();
    expect(readBuilderState(`?b=${encodeURIComponent(JSON.stringify({ t: "radar", q: {} }))}`)).toBeNull();
    expect(readBuilderState("?chart=abc")).toBeNull();
  });
});
