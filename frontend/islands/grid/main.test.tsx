import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { jsonResponse, mockFetch } from "../../test/fetch";
import { addIsland, addJsonScript, mountLikeThePage } from "../../test/page";

beforeEach(() => {
  mountLikeThePage();
  window.history.replaceState(null, "", "/w/acme/weather/");
});

const ROWS_URL = "/api/v1/datasets/5b0e7a52-3c1d-4e8f-9a6b-2d4c8e1f0a37/versions/3/rows/";

describe("grid entry", () => {
  it("mounts the grid from the page's props and loads the first page from its rowsUrl", async () => {
    addJsonScript("app-config", { csrfToken: "t", csrfHeaderName: "X-CSRFToken", user: null });
    const island = addIsland("grid", "grid-props", {
      rowsUrl: ROWS_URL,
      exportUrl: "/api/v1/datasets/5b0e7a52-3c1d-4e8f-9a6b-2d4c8e1f0a37/versions/3/export/",
      columns: [
        { name: "city", type: "text" },
        { name: "population", type: "integer" },
      ],
      total: 2,
      pageSize: 200,
    });
    const fetchMock = mockFetch(() =>
      jsonResponse({
        columns: [
          { name: "city", type: "text" },
          { name: "population", type: "integer" },
        ],
        rows: [
          { city: "Lyon", population: 522_000 },
          { city: "Zürich", population: null },
        ],
        total: 2,
        next: null,
      }),
    );

    await import("./main");

    const grid = await within(island).findByRole("grid", { name: "Data grid" });
    expect(await within(grid).findByText("Zürich")).toBeTruthy();
    expect(within(grid).getByText("522,000").closest('[role="gridcell"]')?.classList.contains("num")).toBe(true); // grouped as on the profile
    expect(within(island).getByTestId("grid-count").textContent).toBe("2 rows");
    expect(fetchMock.mock.calls.map(([url]) => url)).toEqual([`${ROWS_URL}?_size=200&_offset=0`]);
    const [, init] = fetchMock.mock.calls[0]!;
    expect(init?.credentials).toBe("same-origin");
    expect(screen.queryByText(/could not be loaded/)).toBeNull();
  });
});
