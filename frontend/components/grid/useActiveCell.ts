// The keyboard: one active cell (ARIA grid pattern, aria-activedescendant), moved by the arrow keys,
// PageUp/PageDown, Home/End (with Ctrl for the edges), and Ctrl+C to copy it.
import { useState, type FocusEvent, type KeyboardEvent } from "react";
import { moveActiveCell, type CellPosition } from "./keyboard";

interface Options {
  rowCount: number;
  colCount: number;
  pageRows: number;
  /** The first visible row: where the keyboard starts when no cell is active yet. */
  firstVisible: number;
  /** Scroll the cell into view. */
  reveal: (cell: CellPosition) => void;
  copy: (cell: CellPosition) => void;
}

export interface ActiveCell {
  /** The active cell, within the rows and columns there are now; null before the grid is used. */
  active: CellPosition | null;
  activate: (cell: CellPosition) => void;
  /** Back to the first row (the rows came in a new order), in the same column. */
  toFirstRow: () => void;
  onKeyDown: (event: KeyboardEvent<HTMLDivElement>) => void;
  onFocus: (event: FocusEvent<HTMLDivElement>) => void;
}

export function useActiveCell({ rowCount, colCount, pageRows, firstVisible, reveal, copy }: Options): ActiveCell {
  const [chosen, setChosen] = useState<CellPosition | null>(null);
  const active =
    chosen === null || rowCount === 0
      ? null
      : { row: Math.min(chosen.row, rowCount - 1), col: Math.min(chosen.col, colCount - 1) };

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    // Keys typed into a filter, a menu or a resize handle are theirs.
    const target = event.target as HTMLElement;
    if (target !== event.currentTarget && !target.classList.contains("island-grid-copy")) return;
    const ctrl = event.ctrlKey || event.metaKey;
    const current = active ?? { row: firstVisible, col: 0 };
    if (ctrl && event.key.toLowerCase() === "c") {
      if (window.getSelection()?.toString()) return; // the user selected text: let the browser copy it
      event.preventDefault();
      copy(current);
      return;
    }
    const next = moveActiveCell(current, event.key, { ctrl }, { rows: rowCount, cols: colCount, pageRows });
    if (next === null) return;
    event.preventDefault();
    setChosen(next);
    reveal(next);
  }

  return {
    active,
    activate: setChosen,
    toFirstRow: () => setChosen((current) => (current === null ? null : { row: 0, col: current.col })),
    onKeyDown,
    onFocus: (event) => {
      if (event.target === event.currentTarget && chosen === null) setChosen({ row: firstVisible, col: 0 });
    },
  };
}
