import { describe, expect, it } from "vitest";
import {
  contentTopAt,
  contentTopForRow,
  contentTopToShowRow,
  MAX_SCROLL_HEIGHT,
  maxContentTop,
  maxScrollTop,
  pageOffsets,
  ROW_HEIGHT,
  rowTop,
  scrollRatio,
  scrollTopFor,
  spacerHeight,
  visibleRows,
  wheelPixels,
  type ScrollGeometry,
} from "./paging";

const small: ScrollGeometry = { total: 1000, rowHeight: ROW_HEIGHT, viewportHeight: 480 };
const huge: ScrollGeometry = { total: 10_000_000, rowHeight: ROW_HEIGHT, viewportHeight: 480 };

describe("visible rows and pages", () => {
  it("scrolls one to one when the content fits under the cap", () => {
    expect(spacerHeight(small)).toBe(32_000);
    expect(scrollRatio(small)).toBe(1);
    expect(contentTopAt(3216, small)).toBe(3216);
    expect(scrollTopFor(3216, small)).toBe(3216);
    expect(visibleRows(0, small)).toEqual({ first: 0, end: 15 });
    expect(visibleRows(3200 + 16, small)).toEqual({ first: 100, end: 116 });
    expect(rowTop(100, 3200, 3200, small)).toBe(3200);
  });

  it("loads the pages the visible rows overlap, then one page either side", () => {
    expect(pageOffsets({ first: 0, end: 15 }, 200, 1000)).toEqual([0, 200]);
    expect(pageOffsets({ first: 410, end: 425 }, 200, 1000)).toEqual([400, 200, 600]);
    // Straddling a page boundary: both pages, then the neighbours.
    expect(pageOffsets({ first: 390, end: 405 }, 200, 1000)).toEqual([200, 400, 0, 600]);
    // Never past the last row.
    expect(pageOffsets({ first: 985, end: 1000 }, 200, 1000)).toEqual([800, 600]);
    expect(pageOffsets({ first: 0, end: 0 }, 200, 0)).toEqual([]);
  });

  it("caps 10 million rows under the browser limit and maps the scrollbar across all of them", () => {
    expect(spacerHeight(huge)).toBe(MAX_SCROLL_HEIGHT);
    expect(spacerHeight(huge)).toBeLessThan(15_000_001);

    // Dragging the thumb to the middle shows the middle rows.
    const range = visibleRows(contentTopAt(maxScrollTop(huge) / 2, huge), huge);
    expect(range.first).toBeGreaterThan(4_999_000);
    expect(range.first).toBeLessThan(5_000_000);
    expect(range.end - range.first).toBeLessThanOrEqual(16);
    // They straddle row 5,000,000's page boundary: both pages, then one more either side.
    expect(pageOffsets(range, 200, huge.total)).toEqual([4_999_800, 5_000_000, 4_999_600, 5_000_200]);
    // Inside a page: that page and its two neighbours.
    expect(pageOffsets(visibleRows(contentTopForRow(3_333_350, huge), huge), 200, huge.total)).toEqual([
      3_333_200, 3_333_000, 3_333_400,
    ]);

    // The thumb at the very end shows the very last row, wholly.
    const end = contentTopAt(maxScrollTop(huge), huge);
    expect(end).toBe(maxContentTop(huge));
    expect(end).toBe(10_000_000 * ROW_HEIGHT - 480);
    expect(visibleRows(end, huge).end).toBe(10_000_000);
    expect(pageOffsets(visibleRows(end, huge), 200, huge.total)).toEqual([9_999_800, 9_999_600]);
  });

  it("keeps the content exact to the pixel while the thumb only follows it", () => {
    // The wheel moves the content by 100 px: three rows and a bit, not 2,000 px of rows.
    const content = 100;
    const scrollTop = scrollTopFor(content, huge);
    expect(scrollTop).toBe(Math.round(100 / scrollRatio(huge)));
    expect(visibleRows(content, huge).first).toBe(3);
    // Row 3 is drawn 4 px above the viewport's top edge (the spacer is scrolled to scrollTop).
    expect(rowTop(3, scrollTop, content, huge) - scrollTop).toBe(-4);
    expect(rowTop(4, scrollTop, content, huge) - rowTop(3, scrollTop, content, huge)).toBe(ROW_HEIGHT);
    // Deep in the rows the drawn rows stay inside the capped spacer.
    const deep = contentTopForRow(7_654_321, huge);
    expect(rowTop(7_654_321, scrollTopFor(deep, huge), deep, huge)).toBe(scrollTopFor(deep, huge));
    expect(rowTop(7_654_321 + 15, scrollTopFor(deep, huge), deep, huge)).toBeLessThan(spacerHeight(huge));
  });

  it("finds the content position for a row (g.row) and scrolls as little as needed to show one (keyboard)", () => {
    expect(visibleRows(contentTopForRow(100, small), small).first).toBe(100);
    for (const row of [1, 5000, 4_321_987, 9_999_000]) {
      expect(visibleRows(contentTopForRow(row, huge), huge).first).toBe(row);
    }
    // The last rows cannot be at the top: the viewport ends at the last row.
    expect(contentTopForRow(9_999_999, huge)).toBe(maxContentTop(huge));

    expect(contentTopToShowRow(5, 0, small)).toBe(0); // already visible
    expect(contentTopToShowRow(15, 0, small)).toBe(16 * 32 - 480); // below: to the bottom edge
    expect(contentTopToShowRow(10, 3200, small)).toBe(320); // above: to the top edge
    for (const row of [9_999_999, 5_000_000, 3]) {
      const shown = contentTopToShowRow(row, 1_000_000, huge);
      expect(row * ROW_HEIGHT).toBeGreaterThanOrEqual(shown);
      expect((row + 1) * ROW_HEIGHT).toBeLessThanOrEqual(shown + huge.viewportHeight);
    }
  });

  it("reads wheel distances given in lines or pages", () => {
    expect(wheelPixels(100, 0, huge)).toBe(100);
    expect(wheelPixels(3, 1, huge)).toBe(3 * ROW_HEIGHT);
    expect(wheelPixels(-1, 2, huge)).toBe(-480);
  });
});
