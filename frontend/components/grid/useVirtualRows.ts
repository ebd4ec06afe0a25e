// Virtual rows: which rows of a result the viewport shows, on a scrolling spacer capped in height
// (see paging.ts), kept in step with the scrollbar, the wheel and the viewport's size.
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from "react";
import {
  clampContentTop,
  contentTopAt,
  contentTopForRow,
  contentTopToShowRow,
  maxContentTop,
  ROW_HEIGHT,
  rowTop,
  scrollRatio,
  scrollTopFor,
  visibleRows,
  wheelPixels,
  type RowRange,
  type ScrollGeometry,
} from "./paging";

// Before the first layout (and in jsdom, which has none) the grid assumes this much room for rows.
const BODY_HEIGHT_FALLBACK = 480;

/** The viewport's inner size and the sticky head's height, kept up to date when the page resizes. */
function useViewportSize(viewport: RefObject<HTMLDivElement | null>, head: RefObject<HTMLDivElement | null>) {
  const [size, setSize] = useState({ client: 0, head: 0, width: 0 });
  useLayoutEffect(() => {
    const element = viewport.current;
    if (element === null) return;
    const measure = () => {
      const next = { client: element.clientHeight, head: head.current?.offsetHeight ?? 0, width: element.clientWidth };
      setSize((previous) =>
        previous.client === next.client && previous.head === next.head && previous.width === next.width
          ? previous
          : next,
      );
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
  const bodyHeight = size.client > 0 ? Math.max(ROW_HEIGHT, size.client - size.head) : BODY_HEIGHT_FALLBACK;
  return { bodyHeight, width: size.width };
}

export interface VirtualRows {
  viewportRef: RefObject<HTMLDivElement | null>;
  headRef: RefObject<HTMLDivElement | null>;
  geometry: ScrollGeometry;
  /** The viewport's inner width in px (0 before the first layout). */
  viewportWidth: number;
  /** The rows at least partly visible. */
  range: RowRange;
  /** About one screen of rows, for PageUp and PageDown. */
  pageRows: number;
  /** Where row `index` is drawn inside the spacer. */
  rowTop: (index: number) => number;
  /** Show the rows from content position `content` on (0: the first row). */
  showContent: (content: number) => void;
  /** Scroll as little as needed for row `row` to be wholly visible. */
  revealRow: (row: number) => void;
  onScroll: (element: HTMLDivElement) => void;
}

/** Virtual scrolling over `rowCount` rows, opening at row `initialRow` (a shared link's position). */
export function useVirtualRows(rowCount: number, initialRow = 0): VirtualRows {
  const viewportRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLDivElement>(null);
  // Where the spacer is scrolled, and which content it shows (they differ once the spacer is capped).
  const [position, setPosition] = useState({ scrollTop: 0, content: 0 });
  // The same, for event handlers that run before the next render (several wheel events in one frame).
  const positionRef = useRef(position);
  // The scroll position the grid itself set last, so its own scroll event is not taken for a drag.
  const ownScrollTop = useRef<number | null>(null);
  const { bodyHeight, width: viewportWidth } = useViewportSize(viewportRef, headRef);
  const geometry: ScrollGeometry = { total: rowCount, rowHeight: ROW_HEIGHT, viewportHeight: bodyHeight };

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

  function onScroll(element: HTMLDivElement) {
    const scrollTop = element.scrollTop;
    const own = ownScrollTop.current;
    ownScrollTop.current = null;
    // The grid's own move (wheel, keyboard) keeps its exact content position; anything else is a drag.
    const content =
      own !== null && Math.abs(scrollTop - own) < 1 ? positionRef.current.content : contentTopAt(scrollTop, geometry);
    positionRef.current = { scrollTop, content };
    setPosition(positionRef.current);
  }

  function revealRow(row: number) {
    const content = positionRef.current.content;
    const next = contentTopToShowRow(row, content, geometry);
    if (next !== content) showContent(next);
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
    if (initialRow > 0) showContent(contentTopForRow(initialRow, geometry));
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

  return {
    viewportRef,
    headRef,
    geometry,
    viewportWidth,
    range: visibleRows(position.content, geometry),
    pageRows: Math.max(1, Math.floor(bodyHeight / ROW_HEIGHT) - 1),
    rowTop: (index) => rowTop(index, position.scrollTop, position.content, geometry),
    showContent: (content) => showContent(content),
    revealRow,
    onScroll,
  };
}
