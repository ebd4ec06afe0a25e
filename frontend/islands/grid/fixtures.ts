// What the grid island's tests share: the props, a fake rows API and the elements they read.
import { screen, waitFor, within } from "@testing-library/react";
import { expect } from "vitest";
import { jsonResponse, mockFetch } from "../../test/fetch";
import type { Column } from "../../lib/contract";
import type { GridProps } from "./props";

export const DATASET = "5b0e7a52-3c1d-4e8f-9a6b-2d4c8e1f0a37";
export const ROWS_URL = `/api/v1/datasets/${DATASET}/versions/3/rows/`;
export const EXPORT_URL = `/api/v1/datasets/${DATASET}/versions/3/export/`;
export const TOTAL = 10_000_000;
export const FILTERED_TOTAL = 1234;

export const COLUMNS: Column[] = [
  { name: "date", type: "date" },
  { name: "temp max", type: "float" },
  { name: "weather", type: "text", nullable: false },
  { name: "station", type: "text" },
  { name: "id", type: "bigint" },
  { name: "rainy", type: "boolean" },
];

export const PROPS: GridProps = {
  rowsUrl: ROWS_URL,
  exportUrl: EXPORT_URL,
  columns: COLUMNS,
  total: TOTAL,
  pageSize: 200,
};

/** Row n of the fake dataset; every 7th has a null temperature, every 5th a null station. */
export function datasetRow(n: number): Record<string, unknown> {
  return {
    date: new Date(Date.UTC(2000, 0, 1) + (n % 10_000) * 86_400_000).toISOString().slice(0, 10),
    "temp max": n % 7 === 0 ? null : (n % 40) - 5 + 0.5,
    weather: n % 3 === 0 ? "rain" : "sun",
    station: n % 5 === 0 ? null : `ST-${n % 11}`,
    id: String(9_007_199_254_740_993n + BigInt(n)),
    rainy: n % 3 === 0,
  };
}

/**
 * A fake rows API over a 10-million-row dataset. Any filter narrows it to 1,234 rows; a descending
 * first sort key reverses it; `_cols` picks columns. `reject` answers a request with a 400 instead.
 */
export function rowsServer(reject?: (params: URLSearchParams) => string | null) {
  return mockFetch((url) => {
    const parsed = new URL(url, "http://testserver");
    const params = parsed.searchParams;
    if (parsed.pathname !== ROWS_URL) return jsonResponse({ error: { code: "not_found", message: "Not found." } }, 404);
    const refusal = reject?.(params) ?? null;
    if (refusal !== null) return jsonResponse({ error: { code: "invalid_value", message: refusal, details: {} } }, 400);
    const offset = Number(params.get("_offset"));
    const size = Number(params.get("_size"));
    const filtered = [...params.keys()].some((key) => !key.startsWith("_"));
    const total = params.get("weather__icontains") === "zzz" ? 0 : filtered ? FILTERED_TOTAL : TOTAL;
    const desc = (params.get("_sort") ?? "").startsWith("-");
    const names = params.get("_cols")?.split(",") ?? COLUMNS.map((column) => column.name);
    const rows = [];
    for (let index = offset; index < Math.min(total, offset + size); index += 1) {
      const full = datasetRow(desc ? total - 1 - index : index);
      rows.push(Object.fromEntries(names.map((name) => [name, full[name]])));
    }
    return jsonResponse({
      columns: COLUMNS.filter((column) => names.includes(column.name)),
      rows,
      total,
      next: null,
    });
  });
}

export type FetchMock = ReturnType<typeof rowsServer>;

export function requests(fetchMock: FetchMock): URLSearchParams[] {
  return fetchMock.mock.calls.map(([url]) => new URL(String(url), "http://testserver").searchParams);
}

export function lastRequest(fetchMock: FetchMock): URLSearchParams {
  const all = requests(fetchMock);
  return all[all.length - 1]!;
}

export function grid(): HTMLElement {
  return screen.getByRole("grid", { name: "Data grid" });
}

/** The data row showing result row `index` (0-based), once loaded. */
export function dataRow(index: number): HTMLElement | null {
  const row = grid().querySelector<HTMLElement>(`[role="row"][aria-rowindex="${index + 3}"]`);
  return row && !row.classList.contains("island-grid-placeholder") ? row : null;
}

export function cellTexts(index: number): string[] {
  return within(dataRow(index)!)
    .getAllByRole("gridcell")
    .map((cell) => cell.textContent ?? "");
}

export async function loadedRow(index: number): Promise<HTMLElement> {
  await waitFor(() => expect(dataRow(index)).not.toBeNull());
  return dataRow(index)!;
}

export function activeCell(): HTMLElement | null {
  const id = grid().getAttribute("aria-activedescendant");
  return id ? document.getElementById(id) : null;
}

/** The value the active cell shows (without its copy button). */
export function activeValue(): string | null | undefined {
  return activeCell()?.querySelector(".island-grid-value, .island-grid-null")?.textContent;
}
