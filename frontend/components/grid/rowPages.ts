// The pages of rows the grid has loaded for one query: an LRU cache of pages, the requests in flight,
// the filtered total and the last error. Plain TypeScript; DataGrid subscribes with useSyncExternalStore.
import type { Row, RowsAnswer } from "../../lib/contract";
import { LruCache } from "./lru";

/** What the grid needs of a page: its rows and how many rows the query matches in all. */
export type RowsPage = Pick<RowsAnswer, "rows" | "total">;

export type FetchPage = (offset: number, signal: AbortSignal) => Promise<RowsPage>;

export const PAGE_CACHE_SIZE = 20;

export class RowPageStore {
  private readonly cache: LruCache<number, Row[]>;
  private readonly inflight = new Map<number, AbortController>();
  private readonly listeners = new Set<() => void>();
  private queryKey: string | null = null;
  private fetchPage: FetchPage | null = null;
  private wanted: number[] = [];
  private version = 0;
  private total: number | null = null;
  private latest: number | null = null;
  private error: unknown = null;

  constructor(capacity = PAGE_CACHE_SIZE) {
    this.cache = new LruCache(capacity);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Changes whenever anything shown changes (useSyncExternalStore's snapshot). */
  getVersion = (): number => this.version;

  private changed(): void {
    this.version += 1;
    for (const listener of this.listeners) listener();
  }

  /** Switch to a query; a different key drops every page, the total and the error, and cancels every request. */
  setQuery(key: string, fetchPage: FetchPage): void {
    this.fetchPage = fetchPage;
    if (key === this.queryKey) return;
    this.cancelAll();
    this.queryKey = key;
    this.cache.clear();
    this.wanted = [];
    this.total = null;
    this.error = null;
    this.changed();
  }

  /** The rows of the page at `offset`, when loaded for query `key`. Does not count as a use. */
  page(key: string, offset: number): Row[] | undefined {
    return key === this.queryKey ? this.cache.peek(offset) : undefined;
  }

  /** The filtered total for query `key`, once a page of it has arrived. */
  totalFor(key: string): number | null {
    return key === this.queryKey ? this.total : null;
  }

  /** The last total any query answered: the grid keeps its height with it while a new query is counted. */
  latestTotal(): number | null {
    return this.latest;
  }

  errorFor(key: string): unknown {
    return key === this.queryKey ? this.error : null;
  }

  isLoading(offset: number): boolean {
    return this.inflight.has(offset);
  }

  /** Load the pages at `offsets` (in that order), and cancel requests for pages no longer wanted. */
  request(offsets: number[]): void {
    this.wanted = [...offsets];
    for (const [offset, controller] of this.inflight) {
      if (!offsets.includes(offset)) {
        controller.abort();
        this.inflight.delete(offset);
      }
    }
    if (this.error !== null || this.fetchPage === null) return;
    for (const offset of offsets) {
      if (this.cache.has(offset))
        this.cache.get(offset); // a page still in view is recently used
      else if (!this.inflight.has(offset)) this.load(offset, this.fetchPage);
    }
  }

  /** Forget the error and load the wanted pages again. */
  retry(): void {
    this.error = null;
    this.changed();
    this.request(this.wanted);
  }

  cancelAll(): void {
    for (const controller of this.inflight.values()) controller.abort();
    this.inflight.clear();
  }

  private load(offset: number, fetchPage: FetchPage): void {
    const controller = new AbortController();
    const key = this.queryKey;
    this.inflight.set(offset, controller);
    // A cancelled request, or one for an older query, must not touch what is shown.
    const current = () =>
      !controller.signal.aborted && key === this.queryKey && this.inflight.get(offset) === controller;
    fetchPage(offset, controller.signal).then(
      (answer) => {
        if (!current()) return;
        this.inflight.delete(offset);
        this.cache.set(offset, answer.rows);
        this.total = answer.total;
        this.latest = answer.total;
        this.changed();
      },
      (error: unknown) => {
        if (!current()) return;
        this.inflight.delete(offset);
        this.error = error;
        this.changed();
      },
    );
  }
}
