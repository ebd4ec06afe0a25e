import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { GridIsland } from "./GridIsland";
import { maxScrollTop, ROW_HEIGHT } from "../../components/grid/paging";
import { TOTAL, PROPS, rowsServer, requests, grid, dataRow, cellTexts, loadedRow } from "./fixtures";

beforeEach(() => {
  window.history.replaceState(null, "", "/w/acme/weather/?tab=rows");
});

describe("grid island: copy, errors, scrolling, shared links and widths", () => {
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
