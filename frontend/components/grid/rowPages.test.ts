import { describe, expect, it, vi } from "vitest";
import type { RowsAnswer } from "../../lib/contract";
import { RowPageStore } from "./rowPages";

interface Pending {
  offset: number;
  signal: AbortSignal;
  resolve: (answer: RowsAnswer) => void;
  reject: (error: unknown) => void;
}

/** A fetchPage whose answers the test sends by hand. */
function controlledFetch() {
  const pending: Pending[] = [];
  const fetchPage = vi.fn(
    (offset: number, signal: AbortSignal) =>
      new Promise<RowsAnswer>((resolve, reject) => pending.push({ offset, signal, resolve, reject })),
  );
  return { fetchPage, pending };
}

function answer(offset: number, total = 1000, size = 200): RowsAnswer {
  const rows = Array.from({ length: Math.max(0, Math.min(size, total - offset)) }, (_, i) => ({ n: offset + i }));
  return { columns: [{ name: "n", type: "integer" }], rows, total, next: null };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("RowPageStore", () => {
  it("loads each wanted page once and serves it with the total", async () => {
    const { fetchPage, pending } = controlledFetch();
    const store = new RowPageStore();
    store.setQuery("q1", fetchPage);

    store.request([0, 200]);
    store.request([0, 200]);
    expect(fetchPage.mock.calls.map(([offset]) => offset)).toEqual([0, 200]);

    pending[0]!.resolve(answer(0, 345));
    await flush();
    expect(store.page("q1", 0)?.[5]).toEqual({ n: 5 });
    expect(store.page("q1", 200)).toBeUndefined();
    expect(store.totalFor("q1")).toBe(345);
    store.request([0, 200]);
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });

  it("cancels the requests of an old query and ignores their answers", async () => {
    const { fetchPage, pending } = controlledFetch();
    const store = new RowPageStore();
    store.setQuery("sorted by date", fetchPage);
    store.request([0]);

    store.setQuery("sorted by temp", fetchPage);
    expect(pending[0]!.signal.aborted).toBe(true);
    store.request([0]);
    pending[0]!.resolve(answer(0, 1000));
    await flush();
    expect(store.page("sorted by temp", 0)).toBeUndefined();
    expect(store.totalFor("sorted by temp")).toBeNull();

    pending[1]!.resolve(answer(0, 12));
    await flush();
    expect(store.page("sorted by temp", 0)).toHaveLength(12);
    expect(store.page("sorted by date", 0)).toBeUndefined();
  });

  it("cancels pages scrolled past before they arrive", async () => {
    const { fetchPage, pending } = controlledFetch();
    const store = new RowPageStore();
    store.setQuery("q", fetchPage);
    store.request([0, 200]);

    store.request([5_000_000, 4_999_800, 5_000_200]);

    expect(pending[0]!.signal.aborted).toBe(true);
    expect(pending[1]!.signal.aborted).toBe(true);
    expect(pending.slice(2).map((p) => [p.offset, p.signal.aborted])).toEqual([
      [5_000_000, false],
      [4_999_800, false],
      [5_000_200, false],
    ]);
  });

  it("keeps at most its capacity of pages, dropping the least recently wanted", async () => {
    const { fetchPage, pending } = controlledFetch();
    const store = new RowPageStore(3);
    store.setQuery("q", fetchPage);
    for (const offset of [0, 200, 400]) {
      store.request([offset]);
      pending.at(-1)!.resolve(answer(offset, 10_000));
      await flush();
    }
    store.request([0]); // page 0 is in view again: it becomes the newest

    store.request([600]);
    pending.at(-1)!.resolve(answer(600, 10_000));
    await flush();

    expect(store.page("q", 0)).toBeDefined();
    expect(store.page("q", 200)).toBeUndefined();
    expect(store.page("q", 400)).toBeDefined();
    expect(store.page("q", 600)).toBeDefined();
  });

  it("stops on an error until retried, then loads the wanted pages again", async () => {
    const { fetchPage, pending } = controlledFetch();
    const store = new RowPageStore();
    const listener = vi.fn();
    store.subscribe(listener);
    store.setQuery("q", fetchPage);
    store.request([0]);
    pending[0]!.reject(new Error("boom"));
    await flush();

    expect((store.errorFor("q") as Error).message).toBe("boom");
    store.request([0, 200]);
    expect(fetchPage).toHaveBeenCalledTimes(1);

    store.retry();
    expect(store.errorFor("q")).toBeNull();
    expect(fetchPage.mock.calls.slice(1).map(([offset]) => offset)).toEqual([0, 200]);
    expect(listener).toHaveBeenCalled();
  });
});
