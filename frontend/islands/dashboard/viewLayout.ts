// The layout a dashboard is read in, derived from the saved one: notes as tall as their text, and on a
// phone every tile full width, one under the other in reading order. Editing always shows the saved layout.
import { GRID_COLUMNS, ROW_HEIGHT, type GridItem, type TileState } from "./layout";

/** Below this width the grid is one column. */
export const NARROW_WIDTH = 640;
const MARGIN = 16;
const LINE_HEIGHT = 24;
const CHAR_WIDTH = 8.4;
/** The note tile's padding, border and header, in pixels. */
const NOTE_CHROME = 44;

function tileWidth(w: number, gridWidth: number): number {
  const column = (gridWidth - MARGIN * (GRID_COLUMNS - 1)) / GRID_COLUMNS;
  return w * column + (w - 1) * MARGIN;
}

/** Grid rows a note needs to show all its text at a tile width of `w` columns. */
export function noteRows(text: string, w: number, gridWidth: number): number {
  const perLine = Math.max(12, Math.floor((tileWidth(w, gridWidth) - 30) / CHAR_WIDTH));
  const lines = text.split("\n").reduce((count, line) => count + Math.max(1, Math.ceil(line.length / perLine)), 0);
  const pixels = lines * LINE_HEIGHT + NOTE_CHROME;
  return Math.max(1, Math.ceil((pixels + MARGIN) / (ROW_HEIGHT + MARGIN)));
}

export function viewLayout(tiles: TileState[], gridWidth: number): GridItem[] {
  const narrow = gridWidth < NARROW_WIDTH;
  if (!narrow) {
    return tiles.map(({ key, x, y, w, h, chart, text }) => {
      const width = Math.min(w, GRID_COLUMNS);
      return { i: key, x, y, w: width, h: chart === null ? noteRows(text, width, gridWidth) : h };
    });
  }
  const ordered = [...tiles].sort((a, b) => a.y - b.y || a.x - b.x);
  let y = 0;
  return ordered.map(({ key, h, chart, text }) => {
    const rows = chart === null ? noteRows(text, GRID_COLUMNS, gridWidth) : Math.max(h, 5);
    const item = { i: key, x: 0, y, w: GRID_COLUMNS, h: rows };
    y += rows;
    return item;
  });
}
