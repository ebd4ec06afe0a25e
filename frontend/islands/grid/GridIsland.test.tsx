import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { GridIsland } from "./GridIsland";
import { maxScrollTop, ROW_HEIGHT } from "../../components/grid/paging";
import {
  EXPORT_URL,
  TOTAL,
  FILTERED_TOTAL,
  PROPS,
  rowsServer,
  requests,
  lastRequest,
  grid,
  dataRow,
  cellTexts,
  loadedRow,
  activeCell,
  activeValue,
} from "./fixtures";

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
});
