import { describe, expect, it } from "vitest";
import { RAIN, TEMPS, dashboardProps } from "./fixtures";
import { parseDashboardProps } from "./props";

describe("dashboard props", () => {
  it("reads the props dashboard_props builds", () => {
    const props = dashboardProps();
    const raw = JSON.parse(JSON.stringify(props)) as Record<string, unknown>;
    // the serializer's own fields the island does not use
    (raw.dashboard as Record<string, unknown>).created_at = "2025-01-01T00:00:00Z";
    const parsed = parseDashboardProps(raw);
    expect(parsed.dashboard).toEqual(props.dashboard);
    expect(parsed).toMatchObject({
      apiUrl: props.apiUrl,
      shareLinksUrl: props.shareLinksUrl,
      canEdit: true,
      shared: false,
    });
    expect(parsed.tileDataUrl).toBe("/api/v1/charts/{chart}/data/");
    expect(parsed.charts[RAIN]).toEqual({
      ...props.charts[RAIN],
      options: { x: "weather", series: null, measures: ["count"] },
    });
    expect(parsed.charts[TEMPS]).toMatchObject({
      chart_type: "kpi",
      version_number: 2,
      dataset_title: "Seattle weather",
    });
  });

  it("reads tiles as the serializer writes them, kind and all", () => {
    const raw = JSON.parse(JSON.stringify(dashboardProps())) as { dashboard: { tiles: unknown[] } };
    raw.dashboard.tiles = [{ id: 9, kind: "text", chart: null, text: "Hi", x: 0, y: 0, w: 4, h: 2 }];
    expect(parseDashboardProps(raw).dashboard.tiles).toEqual([
      { id: 9, chart: null, text: "Hi", x: 0, y: 0, w: 4, h: 2 },
    ]);
  });

  it("needs the tile data URL", () => {
    expect(() => parseDashboardProps({ ...dashboardProps(), tileDataUrl: "" })).toThrow(/tileDataUrl/);
  });
});
