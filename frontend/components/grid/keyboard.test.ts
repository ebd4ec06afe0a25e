import { describe, expect, it } from "vitest";
import { moveActiveCell } from "./keyboard";

const bounds = { rows: 10_000_000, cols: 5, pageRows: 14 };
const plain = { ctrl: false };
const ctrl = { ctrl: true };

describe("moveActiveCell", () => {
  it("moves one cell with the arrows and stops at the edges", () => {
    expect(moveActiveCell({ row: 3, col: 2 }, "ArrowDown", plain, bounds)).toEqual({ row: 4, col: 2 });
    expect(moveActiveCell({ row: 3, col: 2 }, "ArrowUp", plain, bounds)).toEqual({ row: 2, col: 2 });
    expect(moveActiveCell({ row: 3, col: 2 }, "ArrowRight", plain, bounds)).toEqual({ row: 3, col: 3 });
    expect(moveActiveCell({ row: 3, col: 2 }, "ArrowLeft", plain, bounds)).toEqual({ row: 3, col: 1 });
    expect(moveActiveCell({ row: 0, col: 0 }, "ArrowUp", plain, bounds)).toEqual({ row: 0, col: 0 });
    expect(moveActiveCell({ row: 0, col: 4 }, "ArrowRight", plain, bounds)).toEqual({ row: 0, col: 4 });
    expect(moveActiveCell({ row: 9_999_999, col: 0 }, "ArrowDown", plain, bounds)).toEqual({ row: 9_999_999, col: 0 });
  });

  it("moves a screen with PageUp and PageDown", () => {
    expect(moveActiveCell({ row: 100, col: 1 }, "PageDown", plain, bounds)).toEqual({ row: 114, col: 1 });
    expect(moveActiveCell({ row: 100, col: 1 }, "PageUp", plain, bounds)).toEqual({ row: 86, col: 1 });
    expect(moveActiveCell({ row: 5, col: 1 }, "PageUp", plain, bounds)).toEqual({ row: 0, col: 1 });
  });

  it("goes to the row's ends with Home and End, and the grid's corners with Ctrl", () => {
    expect(moveActiveCell({ row: 7, col: 2 }, "Home", plain, bounds)).toEqual({ row: 7, col: 0 });
    expect(moveActiveCell({ row: 7, col: 2 }, "End", plain, bounds)).toEqual({ row: 7, col: 4 });
    expect(moveActiveCell({ row: 7, col: 2 }, "Home", ctrl, bounds)).toEqual({ row: 0, col: 0 });
    expect(moveActiveCell({ row: 7, col: 2 }, "End", ctrl, bounds)).toEqual({ row: 9_999_999, col: 4 });
  });

  it("ignores other keys and empty grids", () => {
    expect(moveActiveCell({ row: 1, col: 1 }, "a", plain, bounds)).toBeNull();
    expect(moveActiveCell({ row: 1, col: 1 }, "ArrowDown", plain, { rows: 0, cols: 5, pageRows: 10 })).toBeNull();
  });

  it("pulls an active cell left outside the grid (after a filter or a hidden column) back in", () => {
    expect(moveActiveCell({ row: 500, col: 9 }, "ArrowUp", plain, { rows: 20, cols: 3, pageRows: 5 })).toEqual({
      row: 18,
      col: 2,
    });
  });
});
