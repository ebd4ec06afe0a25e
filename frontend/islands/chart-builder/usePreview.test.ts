import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ChartSpec } from "../../lib/contract";
import { jsonResponse, mockFetch, sentJson } from "../../test/fetch";
import { PREVIEW_DELAY_MS, usePreview } from "./usePreview";

const URL_ = "/api/v1/datasets/d/query/";

function spec(column: string, chart_type: ChartSpec["chart_type"] = "bar"): ChartSpec {
  return { chart_type, query: { group_by: [column], measures: [{ fn: "count" }] }, options: { x: column } };
}

function answer(column: string) {
  return {
    columns: [
      { name: column, type: "text" },
      { name: "count", type: "integer" },
    ],
    rows: [{ [column]: "a", count: 1 }],
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("usePreview", () => {
  it("waits for a pause in the changes, sends only the last query and drops the stale answer", async () => {
    const pending: { column: string; signal: AbortSignal; resolve: (r: Response) => void }[] = [];
    const fetchMock = mockFetch(
      (_url, init) =>
        new Promise<Response>((resolve) => {
          const column = (sentJson(init) as { group_by: string[] }).group_by[0]!;
          pending.push({ column, signal: init.signal!, resolve });
        }),
    );
    const { result, rerender } = renderHook(({ s }) => usePreview(URL_, s), { initialProps: { s: spec("weather") } });

    expect(result.current.loading).toBe(true);
    await act(async () => vi.advanceTimersByTime(PREVIEW_DELAY_MS - 1));
    expect(fetchMock).not.toHaveBeenCalled();
    await act(async () => vi.advanceTimersByTime(1));
    expect(fetchMock).toHaveBeenCalledTimes(1);

    // a change while the first answer is on its way: the first request is cancelled
    rerender({ s: spec("city") });
    expect(pending[0]!.signal.aborted).toBe(true);
    rerender({ s: spec("date") });
    await act(async () => vi.advanceTimersByTime(PREVIEW_DELAY_MS));
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(pending.map((p) => p.column)).toEqual(["weather", "date"]);

    await act(async () => {
      pending[1]!.resolve(jsonResponse(answer("date")));
      pending[0]!.resolve(jsonResponse(answer("weather")));
    });
    expect(result.current.loading).toBe(false);
    expect(result.current.data?.columns[0]?.name).toBe("date");
    expect(result.current.dataSpec).toEqual(spec("date"));
  });

  it("redraws without asking again when only the drawing changes", async () => {
    const fetchMock = mockFetch(() => jsonResponse(answer("weather")));
    const { result, rerender } = renderHook(({ s }) => usePreview(URL_, s), { initialProps: { s: spec("weather") } });
    await act(async () => vi.advanceTimersByTime(PREVIEW_DELAY_MS));
    expect(result.current.data).not.toBeNull();

    const pie = spec("weather", "pie");
    rerender({ s: pie });
    await act(async () => vi.advanceTimersByTime(PREVIEW_DELAY_MS));

    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(result.current.dataSpec).toBe(pie);
    expect(result.current.loading).toBe(false);
  });

  it("keeps the last answer and reports the error of a refused query", async () => {
    mockFetch((_url, init) => {
      const column = (sentJson(init) as { group_by: string[] }).group_by[0];
      if (column === "bad")
        return jsonResponse({ error: { code: "unknown_column", message: "No column 'bad'." } }, 400);
      return jsonResponse(answer("weather"));
    });
    const { result, rerender } = renderHook(({ s }) => usePreview(URL_, s), { initialProps: { s: spec("weather") } });
    await act(async () => vi.advanceTimersByTime(PREVIEW_DELAY_MS));

    rerender({ s: spec("bad") });
    await act(async () => vi.advanceTimersByTime(PREVIEW_DELAY_MS));

    expect(result.current.error).toBe("No column 'bad'.");
    expect(result.current.data?.columns[0]?.name).toBe("weather");
    expect(result.current.dataSpec).toEqual(spec("weather"));
  });
});
