import {
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
} from "react";
import { apiGet, errorMessage } from "../../lib/api";
import { ColumnsMenu } from "./ColumnsMenu";
import { GridHeader } from "./GridHeader";
import { moveActiveCell, type CellPosition } from "./keyboard";
import {
  clampContentTop,
  contentTopAt,
  contentTopForRow,
  contentTopToShowRow,
  maxContentTop,
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
import type { GridColumn, GridProps } from "./props";
import { exportViewUrl, queryParams, rowsPageUrl, type RowsQuery } from "./request";
import { RowPageStore, type Row, type RowsAnswer } from "./rowPages";
import {
  columnWidth,
  nextSort,
  setCondition,
  visibleColumns,
  type FilterOp,
  type GridState,
} from "./state";
import { readGridState, replaceUrlState } from "./url";
import { cellText, copyTextOf, copyToClipboard, countText, formatCount, isNumeric } from "./values";

// Before the first layout (and in jsdom, which has none) the grid assumes this much room for rows.
const BODY_HEIGHT_FALLBACK = 480;
// Rows drawn above and below the visible ones, so a small scroll never shows a gap.
const RENDER_OVERSCAN_ROWS = 6;
// Pages are requested once the visible range has stayed put this long: dragging the scrollbar
// across 10 million rows requests only where it stops.
const REQUEST_DELAY_MS = 40;
const URL_WRITE_DELAY_MS = 250;
const COPY_STATUS_MS = 2000;
// Roughly the px one character of cell text takes; longer text gets a tooltip.
const CHAR_WIDTH = 7;

async function fetchRows(url: string, signal: AbortSignal): Promise<RowsAnswer> {
  const answer = await apiGet<unknown>(url, { signal });
  const { rows, total } = (answer ?? {}) as Partial<RowsAnswer>;
  if (!Array.isArray(rows) || typeof total !== "number") {
    throw new Error("The rows API answered in an unexpected form.");
  }
  return answer as RowsAnswer;
}

/** The viewport's inner height and the sticky head's height, kept up to date when the page resizes. */
function useMeasuredHeights(viewport: RefObject<HTMLDivElement | null>, head: RefObject<HTMLDivElement | null>) {
  const [heights, setHeights] = useState({ client: 0, head: 0 });
  useLayoutEffect(() => {
    const element = viewport.current;
    if (element === null) return;
    const measure = () => {
      const next = { client: element.clientHeight, head: head.current?.offsetHeight ?? 0 };
      setHeights((previous) => (previous.client === next.client && previous.head === next.head ? previous : next));
    };
    measure();
    if (typeof ResizeObserver === "undefined") {
      window.addEventListener("resize", measure);
      return () => window.removeEventListener("resize", measure);
    }
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    if (head.current) observer.observe(head.current);
    return () => observer.disconnect();
  }, [viewport, head]);
  return heights.client > 0 ? Math.max(ROW_HEIGHT, heights.client - heights.head) : BODY_HEIGHT_FALLBACK;
}

export function GridIsland({ rowsUrl, exportUrl, columns, total, pageSize }: GridProps) {
  const gridId = useId();
  const [view, setView] = useState<GridState>(() => readGridState(window.location.search, columns));
  // Where the spacer is scrolled, and which content it shows (they differ once the spacer is capped).
  const [position, setPosition] = useState({ scrollTop: 0, content: 0 });
  // The same, for event handlers that run before the next render (several wheel events in one frame).
  const positionRef = useRef(position);
  // The scroll position the grid itself set last, so its own scroll event is not taken for a drag.
  const ownScrollTop = useRef<number | null>(null);
  const [active, setActive] = useState<CellPosition | null>(null);
  const [copyStatus, setCopyStatus] = useState("");
  const viewportRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLDivElement>(null);
  const [store] = useState(() => new RowPageStore());
  useSyncExternalStore(store.subscribe, store.getVersion);

  const shown = useMemo(() => visibleColumns(columns, view.hidden), [columns, view.hidden]);
  const widths = useMemo(() => shown.map((column) => columnWidth(view, column)), [shown, view]);
  const totalWidth = widths.reduce((sum, width) => sum + width, 0);
  const query = useMemo<RowsQuery>(
    () => ({ columns, sort: view.sort, filters: view.filters, hidden: view.hidden }),
    [columns, view.sort, view.filters, view.hidden],
  );
  const queryKey = useMemo(() => queryParams(query).toString(), [query]);
  const isFiltered = view.filters.length > 0;

  const knownTotal = store.totalFor(queryKey);
  const rowCount = knownTotal ?? store.latestTotal() ?? total;
  const bodyHeight = useMeasuredHeights(viewportRef, headRef);
  const geometry: ScrollGeometry = { total: rowCount, rowHeight: ROW_HEIGHT, viewportHeight: bodyHeight };
  const range = visibleRows(position.content, geometry);
  // Until a query's total is known the grid guesses it; a guess of 0 (the last filter matched nothing)
  // must still ask for the first page, or it would never learn better.
  const offsetsKey = (knownTotal === null && rowCount === 0 ? [0] : pageOffsets(range, pageSize, rowCount)).join(",");
  const pageRows = Math.max(1, Math.floor(bodyHeight / ROW_HEIGHT) - 1);
  const error = store.errorFor(queryKey);

  // Stable, so the header (with its filter inputs) does not re-render on every scroll event.
  const handleSort = useCallback(
    (column: string, additive: boolean) => setView((v) => ({ ...v, sort: nextSort(v.sort, column, additive) })),
    [],
  );
  const handleResize = useCallback(
    (column: string, width: number) => setView((v) => ({ ...v, widths: { ...v.widths, [column]: width } })),
    [],
  );
  const handleFilter = useCallback(
    (column: string, op: FilterOp, value: string | null) =>
      setView((v) => ({ ...v, filters: setCondition(v.filters, column, op, value) })),
    [],
  );

  /** Show the rows from content position `content` on, and move the scrollbar's thumb to match. */
  function showContent(content: number, g: ScrollGeometry = geometry) {
    const next = { content: clampContentTop(content, g), scrollTop: 0 };
    next.scrollTop = scrollTopFor(next.content, g);
    const element = viewportRef.current;
    if (element && Math.abs(element.scrollTop - next.scrollTop) >= 1) {
      ownScrollTop.current = next.scrollTop;
      element.scrollTop = next.scrollTop;
    }
    positionRef.current = next;
    setPosition(next);
  }

  function handleScroll(element: HTMLDivElement) {
    const scrollTop = element.scrollTop;
    const own = ownScrollTop.current;
    ownScrollTop.current = null;
    // The grid's own move (wheel, keyboard) keeps its exact content position; anything else is a drag.
    const content =
      own !== null && Math.abs(scrollTop - own) < 1 ? positionRef.current.content : contentTopAt(scrollTop, geometry);
    positionRef.current = { scrollTop, content };
    setPosition(positionRef.current);
  }

  // The latest geometry and showContent, for the native wheel listener below.
  const latest = useRef({ geometry, showContent });
  useLayoutEffect(() => {
    latest.current = { geometry, showContent };
  });

  // With a capped spacer one scroll px is many rows' worth of px: the wheel moves the content by the px
  // it asks for instead. (A native listener, since React's wheel listeners cannot prevent scrolling.)
  useEffect(() => {
    const element = viewportRef.current;
    if (element === null) return;
    const handleWheel = (event: WheelEvent) => {
      const { geometry: g, showContent: show } = latest.current;
      if (scrollRatio(g) === 1 || event.ctrlKey) return; // exact already; ctrl+wheel zooms the page
      const dy = wheelPixels(event.deltaY, event.deltaMode, g);
      const content = positionRef.current.content;
      if (dy === 0 || (dy < 0 && content <= 0) || (dy > 0 && content >= maxContentTop(g))) return;
      event.preventDefault();
      if (event.deltaX !== 0) element.scrollLeft += wheelPixels(event.deltaX, event.deltaMode, g);
      show(content + dy);
    };
    element.addEventListener("wheel", handleWheel, { passive: false });
    return () => element.removeEventListener("wheel", handleWheel);
  }, []);

  // A shared link opens where its author was.
  const restored = useRef(false);
  useLayoutEffect(() => {
    if (restored.current) return;
    restored.current = true;
    if (view.row > 0) showContent(contentTopForRow(view.row, geometry));
  });

  // A new row count or viewport height (a filtered total arrives, the page is resized) changes how the
  // capped spacer maps to rows: keep the same content in view and move the thumb.
  const previousGeometry = useRef(geometry);
  useLayoutEffect(() => {
    const previous = previousGeometry.current;
    previousGeometry.current = geometry;
    if (previous.total === geometry.total && previous.viewportHeight === geometry.viewportHeight) return;
    showContent(positionRef.current.content);
  });

  useEffect(() => {
    store.setQuery(queryKey, (offset, signal) => fetchRows(rowsPageUrl(rowsUrl, query, offset, pageSize), signal));
  }, [store, queryKey, rowsUrl, query, pageSize]);

  useEffect(() => {
    const offsets = offsetsKey === "" ? [] : offsetsKey.split(",").map(Number);
    const timer = setTimeout(() => store.request(offsets), REQUEST_DELAY_MS);
    return () => clearTimeout(timer);
  }, [store, queryKey, offsetsKey]);

  useEffect(() => () => store.cancelAll(), [store]);

  // New filters or a new sort make a new list of rows: start again at its top.
  const orderKey = JSON.stringify([view.sort, view.filters]);
  const previousOrderKey = useRef(orderKey);
  useEffect(() => {
    if (previousOrderKey.current === orderKey) return;
    previousOrderKey.current = orderKey;
    showContent(0);
    setActive((current) => (current === null ? null : { row: 0, col: current.col }));
  }, [orderKey]);

  const firstRow = range.first;
  useEffect(() => {
    const timer = setTimeout(() => replaceUrlState({ ...view, row: firstRow }, columns), URL_WRITE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [view, firstRow, columns]);

  useEffect(() => {
    if (copyStatus === "") return;
    const timer = setTimeout(() => setCopyStatus(""), COPY_STATUS_MS);
    return () => clearTimeout(timer);
  }, [copyStatus]);

  const activeCell =
    active === null || rowCount === 0
      ? null
      : { row: Math.min(active.row, rowCount - 1), col: Math.min(active.col, shown.length - 1) };

  function rowAt(index: number): Row | undefined {
    const offset = index - (index % pageSize);
    return store.page(queryKey, offset)?.[index - offset];
  }

  async function copyCell(cell: CellPosition) {
    const row = rowAt(cell.row);
    const column = shown[cell.col];
    if (row === undefined || column === undefined) {
      setCopyStatus("This row is still loading.");
      return;
    }
    const copied = await copyToClipboard(copyTextOf(row[column.name]));
    setCopyStatus(copied ? "Copied" : "The browser did not allow copying here; select the text instead.");
  }

  function revealCell(cell: CellPosition) {
    const content = positionRef.current.content;
    const next = contentTopToShowRow(cell.row, content, geometry);
    if (next !== content) showContent(next);
    const element = viewportRef.current;
    if (element && element.clientWidth > 0) {
      const left = widths.slice(0, cell.col).reduce((sum, width) => sum + width, 0);
      const right = left + (widths[cell.col] ?? 0);
      if (left < element.scrollLeft) element.scrollLeft = left;
      else if (right > element.scrollLeft + element.clientWidth) element.scrollLeft = right - element.clientWidth;
    }
  }

  function handleKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    // Keys typed into a filter, a menu or a resize handle are theirs.
    const target = event.target as HTMLElement;
    if (target !== event.currentTarget && !target.classList.contains("island-grid-copy")) return;
    const ctrl = event.ctrlKey || event.metaKey;
    const current = activeCell ?? { row: range.first, col: 0 };
    if (ctrl && event.key.toLowerCase() === "c") {
      if (window.getSelection()?.toString()) return; // the user selected text: let the browser copy it
      event.preventDefault();
      void copyCell(current);
      return;
    }
    const next = moveActiveCell(current, event.key, { ctrl }, { rows: rowCount, cols: shown.length, pageRows });
    if (next === null) return;
    event.preventDefault();
    setActive(next);
    revealCell(next);
  }

  function cellId(row: number, col: number) {
    return `${gridId}-r${row}-c${col}`;
  }

  const renderFirst = Math.max(0, range.first - RENDER_OVERSCAN_ROWS);
  const renderEnd = Math.min(rowCount, range.end + RENDER_OVERSCAN_ROWS);
  const rows: ReactNode[] = [];
  let visibleLoading = false;
  for (let index = renderFirst; index < renderEnd; index += 1) {
    const offset = index - (index % pageSize);
    const page = store.page(queryKey, offset);
    const style = { top: rowTop(index, position.scrollTop, position.content, geometry), height: ROW_HEIGHT, width: totalWidth };
    if (page === undefined) {
      if (index >= range.first && index < range.end) visibleLoading = true;
      rows.push(
        <div key={index} className="island-grid-row island-grid-placeholder" role="row" aria-rowindex={index + 3} style={style}>
          {shown.map((column, col) => (
            <div key={column.name} className="island-grid-cell" role="gridcell" aria-colindex={col + 1} style={{ width: widths[col] }}>
              <span className="island-grid-skeleton" />
            </div>
          ))}
        </div>,
      );
      continue;
    }
    const row = page[index - offset];
    if (row === undefined) continue; // past the end of a shorter result
    rows.push(
      <div key={index} className="island-grid-row" role="row" aria-rowindex={index + 3} style={style}>
        {shown.map((column, col) => (
          <DataCell
            key={column.name}
            id={cellId(index, col)}
            column={column}
            colIndex={col}
            width={widths[col] ?? 0}
            value={row[column.name]}
            isActive={activeCell?.row === index && activeCell.col === col}
            onActivate={() => setActive({ row: index, col })}
            onCopy={() => void copyCell({ row: index, col })}
          />
        ))}
      </div>,
    );
  }

  const activeId =
    activeCell !== null && rowAt(activeCell.row) !== undefined ? cellId(activeCell.row, activeCell.col) : undefined;

  return (
    <div className="island-grid stack">
      <div className="row spread island-grid-toolbar">
        <div className="row">
          <strong data-testid="grid-count" aria-live="polite">
            {countText(knownTotal, total, isFiltered)}
          </strong>
          {rowCount > 0 ? (
            <span className="muted small">
              showing {formatCount(range.first + 1)}–{formatCount(range.end)}
            </span>
          ) : null}
          <span className="muted small" role="status">
            {copyStatus}
          </span>
        </div>
        <div className="row">
          {isFiltered ? (
            <button type="button" className="btn btn-small" onClick={() => setView((v) => ({ ...v, filters: [] }))}>
              Clear filters
            </button>
          ) : null}
          <ColumnsMenu columns={columns} hidden={view.hidden} onChange={(hidden) => setView((v) => ({ ...v, hidden }))} />
          <a className="btn btn-small" href={exportViewUrl(exportUrl, query)}>
            Download this view
          </a>
        </div>
      </div>
      {error ? (
        <div className="alert alert-error row" role="alert">
          <span className="grow">{errorMessage(error)}</span>
          <button type="button" className="btn btn-small" onClick={() => store.retry()}>
            Retry
          </button>
        </div>
      ) : null}
      <div
        ref={viewportRef}
        className="island-grid-viewport"
        role="grid"
        aria-label="Data grid"
        aria-rowcount={rowCount + 2}
        aria-colcount={shown.length}
        aria-busy={visibleLoading || undefined}
        aria-activedescendant={activeId}
        tabIndex={0}
        onScroll={(event) => handleScroll(event.currentTarget)}
        onKeyDown={handleKeyDown}
        onFocus={(event) => {
          if (event.target === event.currentTarget && active === null) setActive({ row: range.first, col: 0 });
        }}
      >
        <GridHeader
          headRef={headRef}
          columns={shown}
          widths={widths}
          totalWidth={totalWidth}
          sort={view.sort}
          filters={view.filters}
          onSort={handleSort}
          onResize={handleResize}
          onFilter={handleFilter}
        />
        {knownTotal === 0 ? <p className="muted island-grid-empty">No rows match these filters.</p> : null}
        <div className="island-grid-body" role="rowgroup" style={{ height: spacerHeight(geometry), width: totalWidth }}>
          {rows}
        </div>
      </div>
    </div>
  );
}

interface DataCellProps {
  id: string;
  column: GridColumn;
  colIndex: number;
  width: number;
  value: unknown;
  isActive: boolean;
  onActivate: () => void;
  onCopy: () => void;
}

function DataCell({ id, column, colIndex, width, value, isActive, onActivate, onCopy }: DataCellProps) {
  const text = cellText(value);
  const long = text !== null && text.length * CHAR_WIDTH > width - 16;
  const classes = ["island-grid-cell"];
  if (isNumeric(column.type)) classes.push("num");
  if (isActive) classes.push("is-active");
  return (
    <div
      id={id}
      className={classes.join(" ")}
      role="gridcell"
      aria-colindex={colIndex + 1}
      aria-selected={isActive || undefined}
      title={long ? text : undefined}
      style={{ width }}
      onClick={onActivate}
    >
      {text === null ? <span className="muted island-grid-null">null</span> : <span className="island-grid-value">{text}</span>}
      {isActive ? (
        <button
          type="button"
          className="island-grid-copy"
          tabIndex={-1}
          aria-label="Copy value"
          title="Copy value (Ctrl+C)"
          onClick={(event) => {
            event.stopPropagation();
            onCopy();
          }}
        >
          Copy
        </button>
      ) : null}
    </div>
  );
}
