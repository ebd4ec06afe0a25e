// A virtual-scrolling data grid over any rows that can be read a page at a time by offset: a dataset
// version's rows (the grid island), or an SQL result's. Its parts have one concern each: useVirtualRows,
// useRowPages, useActiveCell (the keyboard), useCopyCell, and the head (GridHeader).
import { useEffect, useId, useMemo, useRef, type ReactNode } from "react";
import { errorMessage } from "../../lib/api";
import type { Column, FilterOp } from "../../lib/contract";
import { DataCell } from "./DataCell";
import { GridHeader } from "./GridHeader";
import type { CellPosition } from "./keyboard";
import { ROW_HEIGHT, spacerHeight } from "./paging";
import { columnWidth, fillWidths, type FilterCondition, type SortKey } from "./state";
import { useActiveCell } from "./useActiveCell";
import { useCopyCell } from "./useCopyCell";
import { useRowPages, useVisiblePages, type RowSource } from "./useRowPages";
import { useVirtualRows } from "./useVirtualRows";
import { formatCount } from "./values";

// Rows drawn above and below the visible ones, so a small scroll never shows a gap.
const RENDER_OVERSCAN_ROWS = 6;

export interface DataGridProps {
  /** The columns shown, in order. */
  columns: Column[];
  source: RowSource;
  /** Rows per request. */
  pageSize: number;
  /** How many rows to make room for until the source answers. */
  total: number;
  /** Widths in px of resized columns; the others take their type's default. */
  widths?: Readonly<Record<string, number>>;
  /** The row to open at (a shared link's). */
  initialRow?: number;
  /** Changes when the rows come in a new order (sort, filters): the grid goes back to its first row. */
  orderKey?: string;
  onFirstRowChange?: (row: number) => void;
  /** The count in the toolbar, from the source's total (null until it answers). */
  countText?: (knownTotal: number | null) => string;
  /** Said in place of rows when the source has none. */
  emptyText?: string;
  /** Buttons and links at the toolbar's end. */
  actions?: ReactNode;
  label?: string;
  /** With these, headers sort (onSort), columns resize (onResize) and a filter row appears (onFilter). */
  sort?: SortKey[];
  filters?: FilterCondition[];
  onSort?: (column: string, additive: boolean) => void;
  onResize?: (column: string, width: number) => void;
  onFilter?: (column: string, op: FilterOp, value: string | null) => void;
}

const NO_WIDTHS: Readonly<Record<string, number>> = {};
const NO_SORT: SortKey[] = [];
const NO_FILTERS: FilterCondition[] = [];

function defaultCountText(knownTotal: number | null): string {
  return knownTotal === null ? "Counting rows…" : `${formatCount(knownTotal)} ${knownTotal === 1 ? "row" : "rows"}`;
}

export function DataGrid({
  columns,
  source,
  pageSize,
  total,
  widths: resized = NO_WIDTHS,
  initialRow = 0,
  orderKey = "",
  onFirstRowChange,
  countText = defaultCountText,
  emptyText = "No rows.",
  actions,
  label = "Data grid",
  sort = NO_SORT,
  filters = NO_FILTERS,
  onSort,
  onResize,
  onFilter,
}: DataGridProps) {
  const gridId = useId();
  // The head has a header row, and a filter row when the grid filters; data rows are numbered after them.
  const headRows = onFilter ? 2 : 1;

  const pages = useRowPages(source, pageSize, total);
  const { rowCount, knownTotal, error } = pages;
  const virtual = useVirtualRows(rowCount, initialRow);
  // Columns take their type's width (or the one the user gave), and share out the room left in the viewport.
  const { viewportWidth } = virtual;
  const widths = useMemo(
    () =>
      fillWidths(
        columns.map((column) => columnWidth(resized, column)),
        columns.map((column) => Object.hasOwn(resized, column.name)),
        viewportWidth,
      ),
    [columns, resized, viewportWidth],
  );
  const totalWidth = widths.reduce((sum, width) => sum + width, 0);
  const { range } = virtual;
  useVisiblePages(pages, source.key, range, pageSize);

  const copier = useCopyCell((cell: CellPosition) => {
    const row = pages.rowAt(cell.row);
    const column = columns[cell.col];
    return row === undefined || column === undefined ? undefined : { value: row[column.name] };
  });

  function revealCell(cell: CellPosition) {
    virtual.revealRow(cell.row);
    const element = virtual.viewportRef.current;
    if (element && element.clientWidth > 0) {
      const left = widths.slice(0, cell.col).reduce((sum, width) => sum + width, 0);
      const right = left + (widths[cell.col] ?? 0);
      if (left < element.scrollLeft) element.scrollLeft = left;
      else if (right > element.scrollLeft + element.clientWidth) element.scrollLeft = right - element.clientWidth;
    }
  }

  const keyboard = useActiveCell({
    rowCount,
    colCount: columns.length,
    pageRows: virtual.pageRows,
    firstVisible: range.first,
    reveal: revealCell,
    copy: (cell) => void copier.copy(cell),
  });
  const { active } = keyboard;

  // New filters or a new sort make a new list of rows: start again at its top.
  const previousOrderKey = useRef(orderKey);
  useEffect(() => {
    if (previousOrderKey.current === orderKey) return;
    previousOrderKey.current = orderKey;
    virtual.showContent(0);
    keyboard.toFirstRow();
    // virtual and keyboard are new objects on every render: only a new order runs this
  }, [orderKey]);

  useEffect(() => {
    onFirstRowChange?.(range.first);
  }, [range.first, onFirstRowChange]);

  const cellId = (row: number, col: number) => `${gridId}-r${row}-c${col}`;
  const renderFirst = Math.max(0, range.first - RENDER_OVERSCAN_ROWS);
  const renderEnd = Math.min(rowCount, range.end + RENDER_OVERSCAN_ROWS);
  const rows: ReactNode[] = [];
  let visibleLoading = false;
  for (let index = renderFirst; index < renderEnd; index += 1) {
    const style = { top: virtual.rowTop(index), height: ROW_HEIGHT, width: totalWidth };
    const rowIndex = index + headRows + 1;
    if (!pages.isLoaded(index)) {
      if (index >= range.first && index < range.end) visibleLoading = true;
      rows.push(
        <div
          key={index}
          className="island-grid-row island-grid-placeholder"
          role="row"
          aria-rowindex={rowIndex}
          style={style}
        >
          {columns.map((column, col) => (
            <div
              key={column.name}
              className="island-grid-cell"
              role="gridcell"
              aria-colindex={col + 1}
              style={{ width: widths[col] }}
            >
              <span className="island-grid-skeleton" />
            </div>
          ))}
        </div>,
      );
      continue;
    }
    const row = pages.rowAt(index);
    if (row === undefined) continue; // past the end of a shorter result
    rows.push(
      <div key={index} className="island-grid-row" role="row" aria-rowindex={rowIndex} style={style}>
        {columns.map((column, col) => (
          <DataCell
            key={column.name}
            id={cellId(index, col)}
            column={column}
            colIndex={col}
            width={widths[col] ?? 0}
            value={row[column.name]}
            isActive={active?.row === index && active.col === col}
            onActivate={() => keyboard.activate({ row: index, col })}
            onCopy={() => void copier.copy({ row: index, col })}
          />
        ))}
      </div>,
    );
  }

  const activeId =
    active !== null && pages.rowAt(active.row) !== undefined ? cellId(active.row, active.col) : undefined;

  return (
    <div className="island-grid stack">
      <div className="row spread island-grid-toolbar">
        <div className="row">
          <strong data-testid="grid-count" aria-live="polite">
            {countText(knownTotal)}
          </strong>
          {rowCount > 0 ? (
            <span className="muted small">
              showing {formatCount(range.first + 1)}–{formatCount(range.end)}
            </span>
          ) : null}
          <span className="muted small" role="status">
            {copier.status}
          </span>
        </div>
        {actions ? <div className="row">{actions}</div> : null}
      </div>
      {error ? (
        <div className="alert alert-error row" role="alert">
          <span className="grow">{errorMessage(error)}</span>
          <button type="button" className="btn btn-small" onClick={() => pages.store.retry()}>
            Retry
          </button>
        </div>
      ) : null}
      <div
        ref={virtual.viewportRef}
        className="island-grid-viewport"
        role="grid"
        aria-label={label}
        aria-rowcount={rowCount + headRows}
        aria-colcount={columns.length}
        aria-busy={visibleLoading || undefined}
        aria-activedescendant={activeId}
        tabIndex={0}
        onScroll={(event) => virtual.onScroll(event.currentTarget)}
        onKeyDown={keyboard.onKeyDown}
        onFocus={keyboard.onFocus}
      >
        <GridHeader
          headRef={virtual.headRef}
          columns={columns}
          widths={widths}
          totalWidth={totalWidth}
          sort={sort}
          filters={filters}
          onSort={onSort}
          onResize={onResize}
          onFilter={onFilter}
        />
        {knownTotal === 0 ? <p className="muted island-grid-empty">{emptyText}</p> : null}
        <div
          className="island-grid-body"
          role="rowgroup"
          style={{ height: spacerHeight(virtual.geometry), width: totalWidth }}
        >
          {rows}
        </div>
      </div>
    </div>
  );
}
