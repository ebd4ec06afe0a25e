// The rows a grid shows, from its data source: pages loaded by offset into a RowPageStore, only those in
// view (and their neighbours), once the view has stayed put for a moment.
import { useEffect, useState, useSyncExternalStore } from "react";
import type { Row } from "../../lib/contract";
import { pageOffsets, type RowRange } from "./paging";
import { RowPageStore, type RowsPage } from "./rowPages";

/**
 * Where a grid's rows come from. `key` names the rows `fetchPage` reads (a new key means other rows: the
 * grid starts over); `fetchPage` answers `size` rows from the 0-based `offset`, with the total.
 */
export interface RowSource {
  key: string;
  fetchPage: (offset: number, size: number, signal: AbortSignal) => Promise<RowsPage>;
}

// Pages are requested once the visible range has stayed put this long: dragging the scrollbar
// across 10 million rows requests only where it stops.
const REQUEST_DELAY_MS = 40;

export interface RowPages {
  store: RowPageStore;
  /** The total the source answered for these rows; null until a page of them arrives. */
  knownTotal: number | null;
  /** The rows the grid is as tall as: the known total, else the last one, else the caller's guess. */
  rowCount: number;
  error: unknown;
  /** Row `index` once its page is loaded. */
  rowAt: (index: number) => Row | undefined;
  /** Whether the page holding row `index` is loaded. */
  isLoaded: (index: number) => boolean;
}

export function useRowPages(source: RowSource, pageSize: number, guessedTotal: number): RowPages {
  const [store] = useState(() => new RowPageStore());
  useSyncExternalStore(store.subscribe, store.getVersion);
  const { key } = source;

  useEffect(() => {
    store.setQuery(key, (offset, signal) => source.fetchPage(offset, pageSize, signal));
  }, [store, key, source, pageSize]);

  useEffect(() => () => store.cancelAll(), [store]);

  const knownTotal = store.totalFor(key);
  const pageOf = (index: number) => store.page(key, index - (index % pageSize));
  return {
    store,
    knownTotal,
    rowCount: knownTotal ?? store.latestTotal() ?? guessedTotal,
    error: store.errorFor(key),
    rowAt: (index) => pageOf(index)?.[index % pageSize],
    isLoaded: (index) => pageOf(index) !== undefined,
  };
}

/** Load the pages `range` shows (and one on each side), dropping requests for pages scrolled past. */
export function useVisiblePages(pages: RowPages, key: string, range: RowRange, pageSize: number): void {
  const { store, knownTotal, rowCount } = pages;
  // Until the total is known the grid guesses it; a guess of 0 (the last filter matched nothing) must
  // still ask for the first page, or it would never learn better.
  const offsetsKey = (knownTotal === null && rowCount === 0 ? [0] : pageOffsets(range, pageSize, rowCount)).join(",");
  useEffect(() => {
    const offsets = offsetsKey === "" ? [] : offsetsKey.split(",").map(Number);
    const timer = setTimeout(() => store.request(offsets), REQUEST_DELAY_MS);
    return () => clearTimeout(timer);
  }, [store, key, offsetsKey]);
}
