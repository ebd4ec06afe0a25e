import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Column } from "../../lib/contract";
import { jsonResponse, mockFetch } from "../../test/fetch";
import { DataGrid } from "./DataGrid";
import { offsetRowsSource } from "./offsetRows";

// An SQL result's rows: the same grid, another endpoint, no sort or filters.
const RESULT_URL = "/api/v1/sql/results/3f2b6c1e-8a4d-4f7e-9b21-5c0d7e6a9f10/rows/";
const COLUMNS: Column[] = [
  { name: "city", type: "text" },
  { name: "people", type: "bigint" },
];
const TOTAL = 450;

function resultServer(total = TOTAL) {
  return mockFetch((url) => {
    const parsed = new URL(url, "http://testserver");
    if (parsed.pathname !== RESULT_URL)
      return jsonResponse({ error: { code: "not_found", message: "Not found." } }, 404);
    const offset = Number(parsed.searchParams.get("_offset"));
    const size = Number(parsed.searchParams.get("_size"));
    const rows = [];
    for (let n = offset; n < Math.min(total, offset + size); n += 1)
      rows.push({ city: `City ${n}`, people: String(10n ** 17n + BigInt(n)) });
    return jsonResponse({ columns: COLUMNS, rows, total });
  });
}

function grid() {
  return screen.getByRole("grid", { name: "Query result" });
}

function renderResult() {
  return render(
    <DataGrid columns={COLUMNS} source={offsetRowsSource(RESULT_URL)} pageSize={100} total={0} label="Query result" />,
  );
}

describe("DataGrid over another endpoint", () => {
  it("shows an SQL result's rows, read by offset, with a plain header and no filter row", async () => {
    const fetchMock = resultServer();
    renderResult();

    const firstRow = await waitFor(() => {
      const row = grid().querySelector<HTMLElement>('[role="row"][aria-rowindex="2"]:not(.island-grid-placeholder)');
      expect(row).not.toBeNull();
      return row!;
    });
    expect(
      within(firstRow)
        .getAllByRole("gridcell")
        .map((cell) => cell.textContent),
    ).toEqual(["City 0", "100000000000000000"]);
    expect(screen.getByTestId("grid-count").textContent).toBe("450 rows");
    expect(grid().getAttribute("aria-rowcount")).toBe(String(TOTAL + 1));
    const header = screen.getByRole("columnheader", { name: "city" });
    expect(within(header).queryByRole("button")).toBeNull();
    expect(header.hasAttribute("aria-sort")).toBe(false);
    expect(screen.queryByLabelText("Filter city")).toBeNull();
    expect(screen.queryByRole("separator")).toBeNull();

    const asked = fetchMock.mock.calls.map(([url]) => [...new URL(String(url), "http://testserver").searchParams]);
    expect(asked[0]).toEqual([
      ["_size", "100"],
      ["_offset", "0"],
    ]);
  });

  it("moves with the keyboard and loads the page it reaches", async () => {
    const fetchMock = resultServer();
    const user = userEvent.setup();
    renderResult();
    await waitFor(() => expect(screen.getByTestId("grid-count").textContent).toBe("450 rows"));

    grid().focus();
    await user.keyboard("{Control>}{ArrowDown}{/Control}");

    await waitFor(() => {
      const id = grid().getAttribute("aria-activedescendant");
      expect(id ? document.getElementById(id)?.querySelector(".island-grid-value")?.textContent : null).toBe(
        "City 449",
      );
    });
    const offsets = fetchMock.mock.calls.map(([url]) =>
      new URL(String(url), "http://testserver").searchParams.get("_offset"),
    );
    expect(offsets).toContain("400");
  });

  it("says when a result has no rows", async () => {
    resultServer(0);
    renderResult();
    expect(await screen.findByText("No rows.")).toBeTruthy();
    expect(screen.getByTestId("grid-count").textContent).toBe("0 rows");
  });

  it("shows a failed page's error with a Retry", async () => {
    mockFetch(() => jsonResponse({ error: { code: "not_found", message: "This result has expired." } }, 404));
    renderResult();
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("This result has expired.");
    expect(within(alert).getByRole("button", { name: "Retry" })).toBeTruthy();
  });
});
