// The grid's view in the page's address (url.ts): read once when the island mounts, written back a moment
// after each change, so the address bar always holds a link to what the user sees.
import { useCallback, useEffect, useState } from "react";
import { nextSort, setCondition, type GridState } from "../../components/grid/state";
import type { Column, FilterOp } from "../../lib/contract";
import { readGridState, replaceUrlState } from "./url";

const URL_WRITE_DELAY_MS = 250;

export function useGridUrlState(columns: Column[]) {
  const [view, setView] = useState<GridState>(() => readGridState(window.location.search, columns));
  const [firstRow, setFirstRow] = useState(view.row);

  useEffect(() => {
    const timer = setTimeout(() => replaceUrlState({ ...view, row: firstRow }, columns), URL_WRITE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [view, firstRow, columns]);

  // Stable, so the grid's head (with its filter inputs) does not re-render on every scroll.
  const onSort = useCallback(
    (column: string, additive: boolean) => setView((v) => ({ ...v, sort: nextSort(v.sort, column, additive) })),
    [],
  );
  const onResize = useCallback(
    (column: string, width: number) => setView((v) => ({ ...v, widths: { ...v.widths, [column]: width } })),
    [],
  );
  const onFilter = useCallback(
    (column: string, op: FilterOp, value: string | null) =>
      setView((v) => ({ ...v, filters: setCondition(v.filters, column, op, value) })),
    [],
  );
  const onHide = useCallback((hidden: string[]) => setView((v) => ({ ...v, hidden })), []);
  const clearFilters = useCallback(() => setView((v) => ({ ...v, filters: [] })), []);

  return { view, setFirstRow, onSort, onResize, onFilter, onHide, clearFilters };
}
