import { memo, useRef, type KeyboardEvent, type MouseEvent, type PointerEvent, type Ref } from "react";
import { FilterCell } from "./FilterCell";
import { isNumericType, type Column, type FilterOp } from "../../lib/contract";
import { clampWidth, MAX_COLUMN_WIDTH, MIN_COLUMN_WIDTH, type FilterCondition, type SortKey } from "./state";

interface Props {
  headRef?: Ref<HTMLDivElement>;
  columns: Column[];
  widths: number[];
  totalWidth: number;
  sort: SortKey[];
  filters: FilterCondition[];
  /** Without it the headers only name the columns. */
  onSort?: (column: string, additive: boolean) => void;
  /** Without it the columns keep their widths. */
  onResize?: (column: string, width: number) => void;
  /** Without it there is no filter row. */
  onFilter?: (column: string, op: FilterOp, value: string | null) => void;
}

const KEY_RESIZE_STEP = 10;

function ResizeHandle({
  column,
  width,
  onResize,
}: {
  column: string;
  width: number;
  onResize: NonNullable<Props["onResize"]>;
}) {
  const drag = useRef<{ pointerId: number; startX: number; startWidth: number } | null>(null);

  function handlePointerDown(event: PointerEvent<HTMLDivElement>) {
    if (event.button !== 0) return;
    event.preventDefault();
    event.stopPropagation();
    drag.current = { pointerId: event.pointerId, startX: event.clientX, startWidth: width };
    // Capture keeps the drag going when the pointer leaves the thin handle.
    event.currentTarget.setPointerCapture?.(event.pointerId);
  }

  function handlePointerMove(event: PointerEvent<HTMLDivElement>) {
    const current = drag.current;
    if (current === null || current.pointerId !== event.pointerId) return;
    onResize(column, clampWidth(current.startWidth + event.clientX - current.startX));
  }

  function endDrag(event: PointerEvent<HTMLDivElement>) {
    if (drag.current?.pointerId !== event.pointerId) return;
    drag.current = null;
    event.currentTarget.releasePointerCapture?.(event.pointerId);
  }

  function handleKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const step = event.shiftKey ? KEY_RESIZE_STEP * 5 : KEY_RESIZE_STEP;
    if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      event.preventDefault();
      onResize(column, clampWidth(width + (event.key === "ArrowRight" ? step : -step)));
    }
  }

  return (
    <div
      className="island-grid-resize"
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize ${column}`}
      aria-valuenow={width}
      aria-valuemin={MIN_COLUMN_WIDTH}
      aria-valuemax={MAX_COLUMN_WIDTH}
      tabIndex={0}
      onPointerDown={handlePointerDown}
      onPointerMove={handlePointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
      onKeyDown={handleKeyDown}
      onClick={(event: MouseEvent) => event.stopPropagation()}
    />
  );
}

function ariaSort(key: SortKey | undefined): "ascending" | "descending" | "none" {
  if (key === undefined) return "none";
  return key.desc ? "descending" : "ascending";
}

/** The sticky head of the grid: a header row (sort, resize) and, for a grid that filters, a filter row. */
export const GridHeader = memo(function GridHeader({
  headRef,
  columns,
  widths,
  totalWidth,
  sort,
  filters,
  onSort,
  onResize,
  onFilter,
}: Props) {
  return (
    <div ref={headRef} className="island-grid-head" role="rowgroup" style={{ width: totalWidth }}>
      <div className="island-grid-row island-grid-header-row" role="row" aria-rowindex={1}>
        {columns.map((column, index) => {
          const position = sort.findIndex((key) => key.column === column.name);
          const key = position === -1 ? undefined : sort[position];
          const width = widths[index] ?? MIN_COLUMN_WIDTH;
          return (
            <div
              key={column.name}
              className={`island-grid-cell island-grid-header${isNumericType(column.type) ? " num" : ""}`}
              role="columnheader"
              aria-label={column.name}
              aria-colindex={index + 1}
              aria-sort={onSort ? ariaSort(key) : undefined}
              style={{ width }}
            >
              {onSort ? (
                <button
                  type="button"
                  className="island-grid-sort"
                  title={`${column.name} (${column.type}). Click to sort; shift+click to add to the sort.`}
                  onClick={(event) => onSort(column.name, event.shiftKey)}
                >
                  <span className="island-grid-header-name">{column.name}</span>
                  {key !== undefined ? (
                    <span className="island-grid-sort-mark" aria-hidden="true">
                      {key.desc ? "▼" : "▲"}
                      {sort.length > 1 ? <sup>{position + 1}</sup> : null}
                    </span>
                  ) : null}
                </button>
              ) : (
                <span className="island-grid-sort" title={`${column.name} (${column.type})`}>
                  <span className="island-grid-header-name">{column.name}</span>
                </span>
              )}
              {onResize ? <ResizeHandle column={column.name} width={width} onResize={onResize} /> : null}
            </div>
          );
        })}
      </div>
      {onFilter ? (
        <div className="island-grid-row island-grid-filter-row" role="row" aria-rowindex={2}>
          {columns.map((column, index) => (
            <div
              key={column.name}
              className="island-grid-cell island-grid-filter"
              role="gridcell"
              aria-colindex={index + 1}
              style={{ width: widths[index] ?? MIN_COLUMN_WIDTH }}
            >
              <FilterCell column={column} filters={filters} onChange={onFilter} />
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
});
