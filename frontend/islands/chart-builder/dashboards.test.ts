import { describe, expect, it } from "vitest";
import { firstFreePlace, tilesWithChart } from "./dashboards";

const tile = (x: number, y: number, w: number, h: number) => ({ id: x * 100 + y, chart: "c", text: "", x, y, w, h });

describe("firstFreePlace", () => {
  it("puts the first chart top left", () => {
    expect(firstFreePlace([])).toEqual({ x: 0, y: 0, w: 6, h: 5 });
  });

  it("puts the second chart beside the first, the third below them", () => {
    expect(firstFreePlace([tile(0, 0, 6, 5)])).toEqual({ x: 6, y: 0, w: 6, h: 5 });
    expect(firstFreePlace([tile(0, 0, 6, 5), tile(6, 0, 6, 5)])).toEqual({ x: 0, y: 5, w: 6, h: 5 });
  });

  it("fills a hole left by a removed tile before going below", () => {
    expect(firstFreePlace([tile(6, 0, 6, 5), tile(0, 5, 12, 2)])).toEqual({ x: 0, y: 0, w: 6, h: 5 });
  });
});

describe("tilesWithChart", () => {
  it("keeps every tile where it is and adds the chart beside them", () => {
    const body = tilesWithChart([tile(0, 0, 6, 5)], "new");
    expect(body).toEqual([
      { chart: "c", text: "", x: 0, y: 0, w: 6, h: 5 },
      { chart: "new", text: "", x: 6, y: 0, w: 6, h: 5 },
    ]);
  });
});
