import { afterEach, describe, expect, it } from "vitest";
import { EMPTY_STATE, type GridState } from "../../components/grid/state";
import type { Column } from "../../lib/contract";
import { readGridState, replaceUrlState, writeGridState } from "./url";

const COLUMNS: Column[] = [
  { name: "date", type: "date" },
  { name: "temp max", type: "float" },
  { name: "weather", type: "text" },
  { name: "station", type: "text" },
  { name: "a__b", type: "integer" },
  { name: "_id", type: "bigint" },
  { name: "Revenue, USD", type: "float" },
  { name: "-x", type: "integer" },
  { name: "größe", type: "float" },
  { name: "rainy", type: "boolean" },
];

const STATE: GridState = {
  sort: [
    { column: "temp max", desc: true },
    { column: "date", desc: false },
  ],
  filters: [
    { column: "weather", op: "icontains", value: "rain & snow" },
    { column: "temp max", op: "gte", value: "-3.5" },
    { column: "temp max", op: "lte", value: "30" },
    { column: "a__b", op: "gt", value: "7" },
    { column: "_id", op: "isnull", value: "false" },
    { column: "größe", op: "lt", value: "2" },
    { column: "rainy", op: "exact", value: "true" },
  ],
  hidden: ["station", "_id"],
  widths: { weather: 320, date: 90 },
  row: 5000,
};

describe("grid state in the URL", () => {
  it("round-trips every part of the state and keeps the page's other parameters as they were", () => {
    const search = writeGridState("?tab=data&q=a%20b&g.row=12&flag", STATE, COLUMNS);

    expect(search.startsWith("tab=data&q=a%20b&flag&")).toBe(true);
    expect(search).not.toContain("g.row=12");
    expect(readGridState(search, COLUMNS)).toEqual(STATE);
    const params = new URLSearchParams(search);
    expect(params.get("tab")).toBe("data");
    expect(params.get("q")).toBe("a b");
  });

  it("writes the readable documented form", () => {
    const params = new URLSearchParams(writeGridState("", STATE, COLUMNS));

    expect(params.get("g.sort")).toBe("-temp max,date");
    expect(params.get("g.f.weather__icontains")).toBe("rain & snow");
    expect(params.get("g.f.temp max__gte")).toBe("-3.5");
    expect(params.get("g.f.a__b__gt")).toBe("7");
    expect(params.get("g.f._id__isnull")).toBe("false");
    expect(params.get("g.hide")).toBe("station,_id");
    expect(params.get("g.w.weather")).toBe("320");
    expect(params.get("g.row")).toBe("5000");
  });

  it("leaves defaults out, so an untouched grid adds nothing to the address", () => {
    expect(writeGridState("?tab=data", EMPTY_STATE, COLUMNS)).toBe("tab=data");
    expect(writeGridState("?g.sort=date&g.row=9", EMPTY_STATE, COLUMNS)).toBe("");
    // A width equal to the type's default is not a change.
    expect(writeGridState("", { ...EMPTY_STATE, widths: { weather: 200 } }, COLUMNS)).toBe("");
  });

  it("uses JSON lists for names a comma list would misread", () => {
    const state: GridState = {
      ...EMPTY_STATE,
      sort: [
        { column: "Revenue, USD", desc: true },
        { column: "-x", desc: false },
      ],
      hidden: ["Revenue, USD"],
    };
    const search = writeGridState("", state, COLUMNS);
    const params = new URLSearchParams(search);

    expect(JSON.parse(params.get("g.sort")!)).toEqual([
      { column: "Revenue, USD", desc: true },
      { column: "-x", desc: false },
    ]);
    expect(JSON.parse(params.get("g.hide")!)).toEqual(["Revenue, USD"]);
    expect(readGridState(search, COLUMNS)).toEqual(state);
  });

  it("drops what does not fit this version: unknown columns and operators, text operators on numbers, bad numbers", () => {
    const search = new URLSearchParams({
      "g.sort": "nope,-date,date",
      "g.f.nope__gte": "1",
      "g.f.date__between": "1",
      "g.f.temp max__icontains": "3",
      "g.f.weather": "rain",
      "g.hide": "nope,station",
      "g.w.weather": "wide",
      "g.w.date": "5",
      "g.row": "-4",
    }).toString();

    expect(readGridState(search, COLUMNS)).toEqual({
      sort: [{ column: "date", desc: true }],
      filters: [],
      hidden: ["station"],
      widths: { date: 60 },
      row: 0,
    });
  });

  it("never hides every column", () => {
    const all = JSON.stringify(COLUMNS.map((column) => column.name));
    expect(readGridState(`g.hide=${encodeURIComponent(all)}`, COLUMNS).hidden).toEqual([]);
    expect(readGridState("g.hide=date,weather", COLUMNS).hidden).toEqual(["date", "weather"]);
  });

  describe("replaceUrlState", () => {
    afterEach(() => window.history.replaceState(null, "", "/"));

    it("rewrites the address bar without adding a history entry, keeping path, other parameters and hash", () => {
      window.history.replaceState(null, "", "/w/acme/weather/?tab=rows#grid");
      const length = window.history.length;

      replaceUrlState({ ...EMPTY_STATE, sort: [{ column: "date", desc: true }] }, COLUMNS);

      expect(window.location.pathname).toBe("/w/acme/weather/");
      expect(window.location.search).toBe("?tab=rows&g.sort=-date");
      expect(window.location.hash).toBe("#grid");
      expect(window.history.length).toBe(length);
    });
  });
});
