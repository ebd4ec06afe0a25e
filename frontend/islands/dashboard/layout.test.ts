import { describe, expect, it } from "vitest";
import {
  appendTile,
  applyLayout,
  dateRangeFilters,
  describeFilter,
  gridLayout,
  keysAfterSave,
  layoutPatchBody,
  tileDataUrl,
  withKeys,
} from "./layout";
import type { DashboardFilter, Tile } from "../../lib/contract";

const chartTile: Tile = { id: 7, chart: "c1", text: "", x: 0, y: 0, w: 6, h: 5 };
const noteTile: Tile = { id: 8, chart: null, text: "Hello", x: 6, y: 0, w: 6, h: 2 };

describe("tileDataUrl", () => {
  const chartTemplate = "/api/v1/charts/{chart}/data/";
  const sharedTemplate = "/api/v1/shared/tok/tiles/{tile}/data/";

  it("fills in the chart id and sends no filters when there are none", () => {
    expect(tileDataUrl(chartTemplate, chartTile, [])).toBe("/api/v1/charts/c1/data/");
  });

  it("sends the dashboard filters in force as a JSON list", () => {
    const filters = dateRangeFilters("date", "2014-01-01", "2014-12-31");
    const url = tileDataUrl(chartTemplate, chartTile, filters)!;
    const [path, query] = url.split("?");
    expect(path).toBe("/api/v1/charts/c1/data/");
    expect(JSON.parse(new URLSearchParams(query).get("filters")!)).toEqual([
      { column: "date", op: "gte", value: "2014-01-01" },
      { column: "date", op: "lte", value: "2014-12-31" },
    ]);
  });

  it("on a share link, fills in the tile id and sends only filters that differ from the saved ones", () => {
    const saved: DashboardFilter[] = [{ column: "date", op: "gte", value: "2014-01-01" }];
    expect(tileDataUrl(sharedTemplate, chartTile, saved, saved)).toBe("/api/v1/shared/tok/tiles/7/data/");
    const changed: DashboardFilter[] = [{ column: "date", op: "gte", value: "2015-01-01" }];
    expect(tileDataUrl(sharedTemplate, chartTile, changed, saved)).toBe(
      `/api/v1/shared/tok/tiles/7/data/?filters=${encodeURIComponent(JSON.stringify(changed))}`,
    );
  });

  it("has no data for notes, nor for an unsaved tile on a share link", () => {
    expect(tileDataUrl(chartTemplate, noteTile, [])).toBeNull();
    expect(tileDataUrl(sharedTemplate, { id: null, chart: "c1" }, [])).toBeNull();
  });
});

describe("dateRangeFilters", () => {
  it("makes a gte and an lte filter, or just one for an open range", () => {
    expect(dateRangeFilters("day", "2024-01-01", "")).toEqual([{ column: "day", op: "gte", value: "2024-01-01" }]);
    expect(dateRangeFilters("day", "", "2024-02-01")).toEqual([{ column: "day", op: "lte", value: "2024-02-01" }]);
    expect(dateRangeFilters("day", "", "")).toEqual([]);
  });

  it("describes filters for people", () => {
    expect(describeFilter({ column: "date", op: "gte", value: "2024-01-01" })).toBe("date ≥ 2024-01-01");
    expect(describeFilter({ column: "city", op: "in", value: ["Oslo", "Bergen"] })).toBe("city is one of Oslo, Bergen");
    expect(describeFilter({ column: "city", op: "isnull", value: false })).toBe("city is not empty");
  });
});

describe("layout", () => {
  it("turns the tiles into the grid's layout and back after a drag", () => {
    const tiles = withKeys([chartTile, noteTile]);
    expect(gridLayout(tiles)).toEqual([
      { i: "tile-7", x: 0, y: 0, w: 6, h: 5 },
      { i: "tile-8", x: 6, y: 0, w: 6, h: 2 },
    ]);
    const moved = applyLayout(tiles, [
      { i: "tile-7", x: 6, y: 2, w: 6, h: 5 },
      { i: "tile-8", x: 6, y: 0, w: 6, h: 2 },
    ]);
    expect(moved[0]).toMatchObject({ key: "tile-7", x: 6, y: 2 });
    expect(moved[1]).toBe(tiles[1]);
    expect(applyLayout(tiles, gridLayout(tiles))).toBe(tiles);
  });

  it("adds new tiles below all the others", () => {
    const tiles = appendTile(withKeys([chartTile, noteTile]), { chart: "c2" });
    expect(tiles[2]).toMatchObject({ id: null, chart: "c2", text: "", x: 0, y: 5, w: 6, h: 5 });
    const withNote = appendTile(tiles, { text: "Read me" });
    expect(withNote[3]).toMatchObject({ chart: null, text: "Read me", x: 0, y: 10 });
  });

  it("writes the PATCH body with every tile's chart, note and place, in reading order", () => {
    const tiles = appendTile(withKeys([noteTile, chartTile]), { chart: "c2" });
    expect(layoutPatchBody(tiles)).toEqual({
      tiles: [
        { chart: "c1", text: "", x: 0, y: 0, w: 6, h: 5 },
        { chart: null, text: "Hello", x: 6, y: 0, w: 6, h: 2 },
        { chart: "c2", text: "", x: 0, y: 5, w: 6, h: 5 },
      ],
    });
  });

  it("keeps each tile's key across a save that gives the tiles new ids", () => {
    const local = appendTile(withKeys([chartTile]), { chart: "c2" });
    const saved: Tile[] = [
      { ...chartTile, id: 21 },
      { id: 22, chart: "c2", text: "", x: 0, y: 5, w: 6, h: 5 },
    ];
    const after = keysAfterSave(local, saved);
    expect(after.map((t) => [t.id, t.key])).toEqual([
      [21, local[0]!.key],
      [22, local[1]!.key],
    ]);
  });
});
