// Moving the active cell with the keyboard, as the ARIA grid pattern describes.

export interface CellPosition {
  /** 0-based row of the filtered, sorted result. */
  row: number;
  /** 0-based index among the visible columns. */
  col: number;
}

export interface GridBounds {
  rows: number;
  cols: number;
  /** How far PageUp and PageDown move: about one screen of rows. */
  pageRows: number;
}

export interface KeyModifiers {
  /** Ctrl, or Cmd on a Mac. */
  ctrl: boolean;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** The active cell after `key`, or null when the key does not move it (so the grid leaves it alone). */
export function moveActiveCell(
  active: CellPosition,
  key: string,
  modifiers: KeyModifiers,
  bounds: GridBounds,
): CellPosition | null {
  if (bounds.rows <= 0 || bounds.cols <= 0) return null;
  const lastRow = bounds.rows - 1;
  const lastCol = bounds.cols - 1;
  const { row, col } = { row: clamp(active.row, 0, lastRow), col: clamp(active.col, 0, lastCol) };
  switch (key) {
    case "ArrowUp":
      return { row: modifiers.ctrl ? 0 : Math.max(0, row - 1), col };
    case "ArrowDown":
      return { row: modifiers.ctrl ? lastRow : Math.min(lastRow, row + 1), col };
    case "ArrowLeft":
      return { row, col: modifiers.ctrl ? 0 : Math.max(0, col - 1) };
    case "ArrowRight":
      return { row, col: modifiers.ctrl ? lastCol : Math.min(lastCol, col + 1) };
    case "PageUp":
      return { row: Math.max(0, row - Math.max(1, bounds.pageRows)), col };
    case "PageDown":
      return { row: Math.min(lastRow, row + Math.max(1, bounds.pageRows)), col };
    case "Home":
      return modifiers.ctrl ? { row: 0, col: 0 } : { row, col: 0 };
    case "End":
      return modifiers.ctrl ? { row: lastRow, col: lastCol } : { row, col: lastCol };
    default:
      return null;
  }
}
