import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { jsonResponse, mockFetch } from "../../test/fetch";
import { GridIsland } from "./GridIsland";
import { maxScrollTop, ROW_HEIGHT } from "../../components/grid/paging";
import type { Column } from "../../lib/contract";
import type { GridProps } from "./props";

const DATASET = "5b0e7a52-3c1d-4e8f-9a6b-2d4c8e1f0a37";
const ROWS_URL = `/api/v1/datasets/${DATASET}/versions/3/rows/`;
const EXPORT_URL = `/api/v1/datasets/${DATASET}/versions/3/export/`;
const TOTAL = 10_000_000;
const FILTERED_TOTAL = 1234;

const COLUMNS: Column[] = [
  { name: "date", type: "date" },
  { name: "temp max", type: "float" },
  { name: "weather", type: "text", nullable: false },
  { name: "station", type: "text" },
  { name: "id", type: "bigint" },
  { name: "rainy", type: "boolean" },
];

const PROPS: GridProps = { rowsUrl: ROWS_URL, exportUrl: EXPORT_URL, columns: COLUMNS, total: TOTAL, pageSize: 200 };

/** Row n of the fake dataset; every 7th has a null temperature, every 5th a null station. */
function datasetRow(n: number): Record<string, unknown> {
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
function rowsServer(reject?: (params: URLSearchParams) => string | null) {
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

type FetchMock = ReturnType<typeof rowsServer>;

function requests(fetchMock: FetchMock): URLSearchParams[] {
  return fetchMock.mock.calls.map(([url]) => new URL(String(url), "http://testserver").searchParams);
}

function lastRequest(fetchMock: FetchMock): URLSearchParams {
  const all = requests(fetchMock);
  return all[all.length - 1]!;
}

function grid(): HTMLElement {
  return screen.getByRole("grid", { name: "Data grid" });
}

/** The data row showing result row `index` (0-based), once loaded. */
function dataRow(index: number): HTMLElement | null {
  const row = grid().querySelector<HTMLElement>(`[role="row"][aria-rowindex="${index + 3}"]`);
  return row && !row.classList.contains("island-grid-placeholder") ? row : null;
}

function cellTexts(index: number): string[] {
  return within(dataRow(index)!)
    .getAllByRole("gridcell")
    .map((cell) => cell.textContent ?? "");
}

async function loadedRow(index: number): Promise<HTMLElement> {
  await waitFor(() => expect(dataRow(index)).not.toBeNull());
  return dataRow(index)!;
}

function activeCell(): HTMLElement | null {
  const id = grid().getAttribute("aria-activedescendant");
  return id ? document.getElementById(id) : null;
}

/** The value the active cell shows (without its copy button). */
function activeValue(): string | null | undefined {
  return activeCell()?.querySelector(".island-grid-value, .island-grid-null")?.textContent;
}

beforeEach(() => {
  window.history.replaceState(null, "", "/w/acme/weather/?tab=rows");
});

describe("grid island", () => {
  it("renders the first page's rows with nulls, numbers and bigints as they are", async () => {
    const fetchMock = rowsServer();
    render(<GridIsland {...PROPS} />);

    expect(screen.getByRole("columnheader", { name: "temp max" }).getAttribute("aria-sort")).toBe("none");
    expect(screen.getByTestId("grid-count").textContent).toBe("10,000,000 rows");
    expect(grid().getAttribute("aria-rowcount")).toBe(String(TOTAL + 2));
    expect(grid().getAttribute("aria-colcount")).toBe("6");

    await loadedRow(0);
    expect(cellTexts(0)).toEqual(["2000-01-01", "null", "rain", "null", "9007199254740993", "true"]);
    expect(cellTexts(1)).toEqual(["2000-01-02", "-3.5", "sun", "ST-1", "9007199254740994", "false"]);
    const nullCell = within(dataRow(0)!).getAllByRole("gridcell")[1]!;
    expect(nullCell.querySelector(".muted")?.textContent).toBe("null");
    expect(nullCell.classList.contains("num")).toBe(true);

    // Only the first page and its neighbour, by offset: 10 million rows are never asked for at once.
    expect(requests(fetchMock).map((params) => [params.get("_offset"), params.get("_size")])).toEqual([
      ["0", "200"],
      ["200", "200"],
    ]);
    expect(screen.getByRole("link", { name: "Download this view" }).getAttribute("href")).toBe(
      `${EXPORT_URL}?format=csv`,
    );
  });

  it("sorts on the server when a header is clicked: ascending, descending, then shift+click adds a key", async () => {
    const fetchMock = rowsServer();
    const user = userEvent.setup();
    render(<GridIsland {...PROPS} />);
    await loadedRow(0);

    await user.click(screen.getByRole("button", { name: "temp max" }));
    await waitFor(() => expect(lastRequest(fetchMock).get("_sort")).toBe("temp max"));
    expect(screen.getByRole("columnheader", { name: "temp max" }).getAttribute("aria-sort")).toBe("ascending");

    await user.click(screen.getByRole("button", { name: "temp max" }));
    await waitFor(() => expect(lastRequest(fetchMock).get("_sort")).toBe("-temp max"));
    expect(screen.getByRole("columnheader", { name: "temp max" }).getAttribute("aria-sort")).toBe("descending");
    // The server's descending order arrives: the fake reverses the rows.
    await waitFor(() => expect(cellTexts(0)[4]).toBe(String(9_007_199_254_740_993n + BigInt(TOTAL - 1))));

    await user.keyboard("{Shift>}");
    await user.click(screen.getByRole("button", { name: "date" }));
    await user.keyboard("{/Shift}");
    await waitFor(() => expect(lastRequest(fetchMock).get("_sort")).toBe("-temp max,date"));
    expect(screen.getByRole("columnheader", { name: "temp max" }).textContent).toContain("▼1");
    expect(screen.getByRole("columnheader", { name: "date" }).textContent).toContain("▲2");

    await waitFor(() => expect(new URLSearchParams(window.location.search).get("g.sort")).toBe("-temp max,date"));
    expect(new URLSearchParams(window.location.search).get("tab")).toBe("rows");
  });

  it("filters text after a pause in typing and shows the filtered count", async () => {
    const fetchMock = rowsServer();
    const user = userEvent.setup();
    render(<GridIsland {...PROPS} />);
    await loadedRow(0);

    await user.type(screen.getByLabelText("Filter weather"), "rain");

    // Nothing is applied or sent while typing (typing four letters takes far less than the 300 ms pause).
    expect(screen.queryByRole("button", { name: "Clear filters" })).toBeNull();
    expect(requests(fetchMock).some((params) => params.has("weather__icontains"))).toBe(false);
    await waitFor(() => expect(lastRequest(fetchMock).get("weather__icontains")).toBe("rain"));
    // One request per page for the whole word, none for "r", "ra", "rai".
    expect(
      requests(fetchMock)
        .filter((params) => params.has("weather__icontains"))
        .map((p) => p.get("weather__icontains")),
    ).toEqual(["rain", "rain"]);
    await waitFor(() => expect(screen.getByTestId("grid-count").textContent).toBe("1,234 of 10,000,000 rows"));
    expect(grid().getAttribute("aria-rowcount")).toBe(String(FILTERED_TOTAL + 2));
    expect(screen.getByRole("link", { name: "Download this view" }).getAttribute("href")).toBe(
      `${EXPORT_URL}?format=csv&weather__icontains=rain`,
    );
    await waitFor(() => expect(new URLSearchParams(window.location.search).get("g.f.weather__icontains")).toBe("rain"));

    await user.click(screen.getByRole("button", { name: "Clear filters" }));
    await waitFor(() => expect(screen.getByTestId("grid-count").textContent).toBe("10,000,000 rows"));
    expect((screen.getByLabelText("Filter weather") as HTMLInputElement).value).toBe("");
  });

  it("says when no row matches, and finds the rows again when the filter is cleared", async () => {
    rowsServer();
    const user = userEvent.setup();
    render(<GridIsland {...PROPS} />);
    await loadedRow(0);

    await user.type(screen.getByLabelText("Filter weather"), "zzz");
    expect(await screen.findByText("No rows match these filters.")).toBeTruthy();
    expect(screen.getByTestId("grid-count").textContent).toBe("0 of 10,000,000 rows");
    expect(dataRow(0)).toBeNull();

    await user.click(screen.getByRole("button", { name: "Clear filters" }));
    await loadedRow(0);
    expect(screen.getByTestId("grid-count").textContent).toBe("10,000,000 rows");
    expect(screen.queryByText("No rows match these filters.")).toBeNull();
  });

  it("filters numbers by a range, booleans by value and any column by null, and does not send a half-typed number", async () => {
    const fetchMock = rowsServer();
    const user = userEvent.setup();
    render(<GridIsland {...PROPS} />);
    await loadedRow(0);

    const minimum = screen.getByLabelText("Minimum temp max");
    await user.type(minimum, "-");
    expect(minimum.getAttribute("aria-invalid")).toBe("true");
    await user.type(minimum, "3.5");
    await user.type(screen.getByLabelText("Maximum temp max"), "30");
    await user.selectOptions(screen.getByLabelText("Filter rainy"), "false");
    await user.selectOptions(screen.getByLabelText("Nulls in station"), "not null");

    await waitFor(() => {
      const params = lastRequest(fetchMock);
      expect(params.get("temp max__gte")).toBe("-3.5");
      expect(params.get("temp max__lte")).toBe("30");
      expect(params.get("rainy")).toBe("false");
      expect(params.get("station__isnull")).toBe("false");
    });
    expect(minimum.getAttribute("aria-invalid")).toBeNull();
    expect(requests(fetchMock).some((params) => params.get("temp max__gte") === "-")).toBe(false);
  });

  it("filters a date column by one ISO period, and offers the null choice only where there are nulls", async () => {
    const fetchMock = rowsServer();
    const user = userEvent.setup();
    render(<GridIsland {...PROPS} />);
    await loadedRow(0);

    expect(screen.queryByLabelText("Nulls in weather")).toBeNull();
    expect(screen.getByLabelText("Nulls in station")).toBeTruthy();
    const period = screen.getByLabelText("Filter date");
    expect(period.getAttribute("type")).toBe("text");
    await user.type(period, "2000-02");
    await waitFor(() => {
      const params = lastRequest(fetchMock);
      expect(params.get("date__gte")).toBe("2000-02-01");
      expect(params.get("date__lte")).toBe("2000-02-29");
    });

    await user.clear(period);
    await user.type(period, "2000-03-05..");
    await waitFor(() => expect(lastRequest(fetchMock).get("date__gte")).toBe("2000-03-05"));
    expect(lastRequest(fetchMock).has("date__lte")).toBe(false);
    await user.type(period, "x");
    expect(period.getAttribute("aria-invalid")).toBe("true");
  });

  it("drops a hidden column from the grid and from _cols", async () => {
    const fetchMock = rowsServer();
    const user = userEvent.setup();
    render(<GridIsland {...PROPS} />);
    await loadedRow(0);

    await user.click(screen.getByText("Columns"));
    await user.click(screen.getByRole("checkbox", { name: "station" }));

    await waitFor(() => expect(lastRequest(fetchMock).get("_cols")).toBe("date,temp max,weather,id,rainy"));
    expect(screen.queryByRole("columnheader", { name: "station" })).toBeNull();
    expect(grid().getAttribute("aria-colcount")).toBe("5");
    await waitFor(() => expect(cellTexts(1)).toEqual(["2000-01-02", "-3.5", "sun", "9007199254740994", "false"]));
    await waitFor(() => expect(new URLSearchParams(window.location.search).get("g.hide")).toBe("station"));
  });

  it("moves the active cell with the keyboard and fetches the page it moves to", async () => {
    const fetchMock = rowsServer();
    const user = userEvent.setup();
    render(<GridIsland {...PROPS} />);
    await loadedRow(0);

    act(() => grid().focus());
    await user.keyboard("{ArrowDown}{ArrowDown}{ArrowRight}");
    expect(activeValue()).toBe("-2.5");
    expect(activeCell()?.closest('[role="row"]')?.getAttribute("aria-rowindex")).toBe("5");
    expect(activeCell()?.getAttribute("aria-selected")).toBe("true");

    await user.keyboard("{End}");
    expect(activeValue()).toBe("false");
    await user.keyboard("{Home}{ArrowUp}");
    expect(activeValue()).toBe("2000-01-02");

    await user.keyboard("{PageDown}");
    expect(activeCell()?.closest('[role="row"]')?.getAttribute("aria-rowindex")).toBe(String(1 + 14 + 3));

    // Ctrl+End: the last cell of row 10,000,000, scrolled into view and loaded on its own.
    await user.keyboard("{Control>}{End}{/Control}");
    await waitFor(() => expect(activeValue()).toBe("true")); // 9,999,999 is a multiple of 3
    expect(activeCell()?.closest('[role="row"]')?.getAttribute("aria-rowindex")).toBe(String(TOTAL - 1 + 3));
    expect(grid().scrollTop).toBe(maxScrollTop({ total: TOTAL, rowHeight: ROW_HEIGHT, viewportHeight: 480 }));
    expect(requests(fetchMock).map((params) => params.get("_offset"))).toContain("9999800");

    await user.keyboard("{Control>}{Home}{/Control}");
    await waitFor(() => expect(activeValue()).toBe("2000-01-01"));
  });

  it("copies the active cell with Ctrl+C and with its copy button", async () => {
    rowsServer();
    const user = userEvent.setup();
    render(<GridIsland {...PROPS} />);
    await loadedRow(1);

    act(() => grid().focus());
    await user.keyboard("{ArrowDown}{End}{ArrowLeft}");
    await user.keyboard("{Control>}c{/Control}");
    await waitFor(() => expect(screen.getByRole("status").textContent).toBe("Copied"));
    expect(await navigator.clipboard.readText()).toBe("9007199254740994");

    await user.click(within(dataRow(1)!).getAllByRole("gridcell")[2]!);
    await user.click(screen.getByRole("button", { name: "Copy value" }));
    await waitFor(async () => expect(await navigator.clipboard.readText()).toBe("sun"));
  });

  it("shows the API's error message with a Retry button", async () => {
    let refuse = true;
    const fetchMock = rowsServer((params) =>
      refuse && params.has("temp max__gte") ? "temp max__gte: expected a number, not '1e999x'." : null,
    );
    const user = userEvent.setup();
    render(<GridIsland {...PROPS} />);
    await loadedRow(0);

    // A value the client lets through but the server refuses.
    fireEvent.change(screen.getByLabelText("Minimum temp max"), { target: { value: "1e5" } });

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("temp max__gte: expected a number, not '1e999x'.");
    expect(alert.classList.contains("alert-error")).toBe(true);

    refuse = false;
    const before = fetchMock.mock.calls.length;
    await user.click(within(alert).getByRole("button", { name: "Retry" }));
    await waitFor(() => expect(screen.queryByRole("alert")).toBeNull());
    expect(fetchMock.mock.calls.length).toBeGreaterThan(before);
    await waitFor(() => expect(screen.getByTestId("grid-count").textContent).toBe("1,234 of 10,000,000 rows"));
  });

  it("fetches only the pages in the middle when the scrollbar is dragged to the middle of 10 million rows", async () => {
    const fetchMock = rowsServer();
    render(<GridIsland {...PROPS} />);
    await loadedRow(0);
    const before = fetchMock.mock.calls.length;

    const viewport = grid();
    const geometry = { total: TOTAL, rowHeight: ROW_HEIGHT, viewportHeight: 480 };
    // The spacer is capped, yet its middle is the middle of the rows.
    expect(viewport.querySelector<HTMLElement>(".island-grid-body")!.style.height).toBe("15000000px");
    // A drag passes through many positions; only where it stops is fetched.
    for (const fraction of [0.1, 0.2, 0.3, 0.4, 0.5]) {
      viewport.scrollTop = maxScrollTop(geometry) * fraction;
      fireEvent.scroll(viewport);
    }

    await waitFor(() => expect(dataRow(4_999_995)).not.toBeNull());
    const offsets = requests(fetchMock)
      .slice(before)
      .map((params) => Number(params.get("_offset")));
    expect(offsets.sort((a, b) => a - b)).toEqual([4_999_600, 4_999_800, 5_000_000, 5_000_200]);
    expect(cellTexts(4_999_995)[4]).toBe(String(9_007_199_254_740_993n + 4_999_995n));
    await waitFor(() => expect(new URLSearchParams(window.location.search).get("g.row")).toMatch(/^499999\d$/));
  });

  it("moves 10 million rows by the wheel's pixels, not by the capped scrollbar's", async () => {
    rowsServer();
    render(<GridIsland {...PROPS} />);
    await loadedRow(0);
    const viewport = grid();

    // At the top, scrolling up is left to the page.
    expect(fireEvent.wheel(viewport, { deltaY: -100 })).toBe(true);
    // 100 px down: row 3 (not row 66, where 100 scroll px of the capped spacer would be) is at the top.
    expect(fireEvent.wheel(viewport, { deltaY: 100 })).toBe(false);
    expect(screen.getByText(/^showing/).textContent).toBe("showing 4–19");
    const scrollTop = viewport.scrollTop;
    expect(scrollTop).toBe(Math.round(100 / ((TOTAL * ROW_HEIGHT - 480) / (15_000_000 - 480))));
    expect(dataRow(3)!.style.top).toBe(`${scrollTop - 4}px`);
    // The browser's scroll event for the grid's own move keeps the exact position.
    fireEvent.scroll(viewport);
    expect(screen.getByText(/^showing/).textContent).toBe("showing 4–19");
    // Three lines (Firefox) are three rows.
    fireEvent.wheel(viewport, { deltaY: 3, deltaMode: 1 });
    expect(screen.getByText(/^showing/).textContent).toBe("showing 7–22");
  });

  it("opens a shared link where it was: sort, filters, hidden columns, widths and row", async () => {
    window.history.replaceState(
      null,
      "",
      "/w/acme/weather/?tab=rows&g.sort=-date&g.f.weather__icontains=rain&g.hide=id&g.w.weather=333&g.row=600",
    );
    const fetchMock = rowsServer();
    render(<GridIsland {...PROPS} />);

    await loadedRow(600);
    const first = requests(fetchMock)[0]!;
    expect(first.get("_sort")).toBe("-date");
    expect(first.get("weather__icontains")).toBe("rain");
    expect(first.get("_cols")).toBe("date,temp max,weather,station,rainy");
    expect(requests(fetchMock).map((params) => params.get("_offset"))).not.toContain("0");
    expect((screen.getByLabelText("Filter weather") as HTMLInputElement).value).toBe("rain");
    expect(screen.getByRole("columnheader", { name: "weather" }).style.width).toBe("333px");
    expect(screen.getByRole("columnheader", { name: "date" }).getAttribute("aria-sort")).toBe("descending");
    expect(grid().scrollTop).toBe(600 * ROW_HEIGHT);
    expect(screen.getByTestId("grid-count").textContent).toBe("1,234 of 10,000,000 rows");
  });

  it("resizes a column by dragging its header's edge, not below the minimum width", async () => {
    rowsServer();
    const user = userEvent.setup();
    render(<GridIsland {...PROPS} />);
    await loadedRow(0);
    const handle = screen.getByRole("separator", { name: "Resize weather" });

    fireEvent.pointerDown(handle, { pointerId: 1, button: 0, clientX: 500 });
    fireEvent.pointerMove(handle, { pointerId: 1, clientX: 580 });
    fireEvent.pointerUp(handle, { pointerId: 1, clientX: 580 });

    expect(screen.getByRole("columnheader", { name: "weather" }).style.width).toBe("280px");
    expect(within(dataRow(0)!).getAllByRole("gridcell")[2]!.style.width).toBe("280px");
    await waitFor(() => expect(new URLSearchParams(window.location.search).get("g.w.weather")).toBe("280"));

    handle.focus();
    await user.keyboard("{ArrowLeft}");
    expect(handle.getAttribute("aria-valuenow")).toBe("270");

    fireEvent.pointerDown(handle, { pointerId: 2, button: 0, clientX: 500 });
    fireEvent.pointerMove(handle, { pointerId: 2, clientX: 0 });
    act(() => {
      fireEvent.pointerUp(handle, { pointerId: 2, clientX: 0 });
    });
    expect(screen.getByRole("columnheader", { name: "weather" }).style.width).toBe("60px");
  });
});
