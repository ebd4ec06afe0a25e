// Virtual scrolling arithmetic. Browsers cap an element's height (Firefox near 17.9M px, Chrome near
// 33.5M), and 10 million rows of 32 px are 320M px. So the scrolling spacer is capped at MAX_SCROLL_HEIGHT,
// and the grid keeps two positions:
// - the content position: row index × row height at the top of the viewport, exact to the pixel;
// - the scroll position of the capped spacer, which only moves the scrollbar's thumb.
// Dragging the scrollbar maps the scroll position linearly onto the content (the spacer's middle shows the
// middle row, its end the last row); the wheel and the keyboard move the content position by pixels and rows
// and put the thumb where it belongs, so they stay smooth however many rows there are.

export const ROW_HEIGHT = 32;
export const MAX_SCROLL_HEIGHT = 15_000_000;

export interface ScrollGeometry {
  /** Rows in the (filtered) result. */
  total: number;
  rowHeight: number;
  /** Height in px of the area that shows rows (below the sticky header). */
  viewportHeight: number;
  maxScrollHeight?: number;
}

/** Rows `first` (inclusive) to `end` (exclusive). */
export interface RowRange {
  first: number;
  end: number;
}

export function contentHeight(g: ScrollGeometry): number {
  return g.total * g.rowHeight;
}

/** The height of the element that gives the scrollbar its length. */
export function spacerHeight(g: ScrollGeometry): number {
  return Math.min(contentHeight(g), g.maxScrollHeight ?? MAX_SCROLL_HEIGHT);
}

export function maxScrollTop(g: ScrollGeometry): number {
  return Math.max(0, spacerHeight(g) - g.viewportHeight);
}

export function maxContentTop(g: ScrollGeometry): number {
  return Math.max(0, contentHeight(g) - g.viewportHeight);
}

/** Content px per scroll px: 1 until the spacer is capped. */
export function scrollRatio(g: ScrollGeometry): number {
  const scrollable = maxScrollTop(g);
  const content = maxContentTop(g);
  return scrollable > 0 && content > scrollable ? content / scrollable : 1;
}

export function clampContentTop(content: number, g: ScrollGeometry): number {
  return Math.min(Math.max(0, content), maxContentTop(g));
}

/** The content position a scroll position shows (a scrollbar drag). */
export function contentTopAt(scrollTop: number, g: ScrollGeometry): number {
  return clampContentTop(Math.min(Math.max(0, scrollTop), maxScrollTop(g)) * scrollRatio(g), g);
}

/** The scroll position (the thumb) for a content position. */
export function scrollTopFor(content: number, g: ScrollGeometry): number {
  return Math.min(maxScrollTop(g), Math.round(clampContentTop(content, g) / scrollRatio(g)));
}

/** Where row `index` is drawn inside the spacer, with the spacer scrolled to `scrollTop` showing `content`. */
export function rowTop(index: number, scrollTop: number, content: number, g: ScrollGeometry): number {
  return scrollTop + index * g.rowHeight - content;
}

/** The rows at least partly visible at a content position. */
export function visibleRows(content: number, g: ScrollGeometry): RowRange {
  if (g.total <= 0) return { first: 0, end: 0 };
  const top = clampContentTop(content, g);
  const first = Math.min(g.total - 1, Math.floor(top / g.rowHeight));
  const end = Math.min(g.total, Math.max(first + 1, Math.ceil((top + g.viewportHeight) / g.rowHeight)));
  return { first, end };
}

/** The content position with row `row` at the top of the viewport (or as near as the last rows allow). */
export function contentTopForRow(row: number, g: ScrollGeometry): number {
  return clampContentTop(Math.max(0, row) * g.rowHeight, g);
}

/** The nearest content position at which row `row` is wholly visible (`content` itself if it already is). */
export function contentTopToShowRow(row: number, content: number, g: ScrollGeometry): number {
  const rowStart = row * g.rowHeight;
  const rowEnd = rowStart + g.rowHeight;
  if (rowStart < content) return clampContentTop(rowStart, g);
  if (rowEnd > content + g.viewportHeight) return clampContentTop(Math.min(rowStart, rowEnd - g.viewportHeight), g);
  return content;
}

/** A wheel event's vertical distance in px (Firefox may count lines or pages). */
export function wheelPixels(deltaY: number, deltaMode: number, g: ScrollGeometry): number {
  if (deltaMode === 1) return deltaY * g.rowHeight;
  if (deltaMode === 2) return deltaY * g.viewportHeight;
  return deltaY;
}

/**
 * The page offsets (multiples of `pageSize`) to load for `range`: the pages it overlaps first, then
 * `overscan` pages on each side, none past the last row.
 */
export function pageOffsets(range: RowRange, pageSize: number, total: number, overscan = 1): number[] {
  if (total <= 0 || range.end <= range.first) return [];
  const lastPage = Math.floor((total - 1) / pageSize);
  const firstVisible = Math.min(lastPage, Math.floor(range.first / pageSize));
  const lastVisible = Math.min(lastPage, Math.floor((range.end - 1) / pageSize));
  const pages: number[] = [];
  for (let page = firstVisible; page <= lastVisible; page += 1) pages.push(page);
  for (let step = 1; step <= overscan; step += 1) {
    if (firstVisible - step >= 0) pages.push(firstVisible - step);
    if (lastVisible + step <= lastPage) pages.push(lastVisible + step);
  }
  return pages.map((page) => page * pageSize);
}
