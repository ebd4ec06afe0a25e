import { describe, expect, it } from "vitest";
import type { TileState } from "./layout";
import { noteRows, viewLayout } from "./viewLayout";

const chart = (key: string, x: number, y: number): TileState => ({
  key,
  id: 1,
  chart: "c",
  text: "",
  x,
  y,
  w: 6,
  h: 5,
});
const note = (key: string, text: string, x: number, y: number): TileState => ({
  key,
  id: 2,
  chart: null,
  text,
  x,
  y,
  w: 12,
  h: 4,
});

describe("viewLayout", () => {
  it("keeps charts where they were saved and sizes a note to its text on a wide screen", () => {
    const layout = viewLayout([chart("a", 0, 0), chart("b", 6, 0), note("n", "One line.", 0, 5)], 1180);
    expect(layout).toEqual([
      { i: "a", x: 0, y: 0, w: 6, h: 5 },
      { i: "b", x: 6, y: 0, w: 6, h: 5 },
      { i: "n", x: 0, y: 5, w: 12, h: 2 },
    ]);
  });

  it("puts every tile full width in reading order on a phone", () => {
    const layout = viewLayout([chart("b", 6, 0), note("n", "One line.", 0, 5), chart("a", 0, 0)], 358);
    expect(layout.map(({ i, x, y, w }) => [i, x, y, w])).toEqual([
      ["a", 0, 0, 12],
      ["b", 0, 5, 12],
      ["n", 0, 10, 12],
    ]);
  });

  it("gives a long note more rows on a narrow tile", () => {
    const text = "word ".repeat(120);
    expect(noteRows(text, 4, 1180)).toBeGreaterThan(noteRows(text, 12, 1180));
  });
});
