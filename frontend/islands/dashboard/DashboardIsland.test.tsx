import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi, type Mock } from "vitest";
import type { DashboardFilter } from "../../lib/contract";
import { jsonResponse, mockFetch, noContent, sentJson, type Handler } from "../../test/fetch";
import { DashboardIsland } from "./DashboardIsland";
import {
  CHART_DATA_URL,
  DASHBOARD_API,
  RAIN,
  SALES,
  SHARE_LINKS_URL,
  TEMPS,
  chartAnswer,
  dashboardProps,
} from "./fixtures";

// jsdom has no canvas: charts draw into a fake ECharts.
vi.mock("echarts", () => ({
  init: vi.fn(() => ({ setOption: vi.fn(), resize: vi.fn(), dispose: vi.fn(), getDataURL: vi.fn() })),
}));

type Call = [string, RequestInit | undefined];

function dataCalls(fetchMock: Mock): string[] {
  return (fetchMock.mock.calls as Call[]).map(([url]) => url).filter((url) => url.includes("/data/"));
}

function filtersOf(url: string): unknown {
  const raw = new URL(url, "http://x").searchParams.get("filters");
  return raw === null ? null : JSON.parse(raw);
}

/** Chart data by chart id; the hottest-day chart fails. */
const chartsApi: Handler = (url) => {
  const match = /\/api\/v1\/charts\/([^/]+)\/data\//.exec(url);
  if (match?.[1] === TEMPS) {
    return jsonResponse({ error: { code: "invalid_query", message: "measures[0]: no column 'temp_max'." } }, 400);
  }
  if (match) {
    const filters = (filtersOf(url) as { column: string }[] | null) ?? [];
    return jsonResponse(
      chartAnswer(
        match[1]!,
        filters.filter((f) => f.column === "date"),
      ),
    );
  }
  return jsonResponse({ error: { code: "not_found", message: "Not found." } }, 404);
};

function tile(name: string): HTMLElement {
  return screen.getByRole("region", { name }) as HTMLElement;
}

describe("dashboard", () => {
  it("loads each chart tile on its own and shows one tile's error while the others draw", async () => {
    const fetchMock = mockFetch(chartsApi);

    render(<DashboardIsland {...dashboardProps()} />);

    expect(screen.getAllByTestId("tile")).toHaveLength(3);
    expect(await within(tile("Rainy days")).findByRole("img", { name: "Rainy days" })).toBeTruthy();
    expect((await within(tile("Hottest day")).findByRole("alert")).textContent).toContain(
      "measures[0]: no column 'temp_max'.",
    );
    expect(within(tile("Rainy days")).queryByRole("alert")).toBeNull();
    expect(dataCalls(fetchMock).sort()).toEqual(
      [`/api/v1/charts/${RAIN}/data/`, `/api/v1/charts/${TEMPS}/data/`].sort(),
    );
  });

  it("retries a failed tile on its own", async () => {
    let fail = true;
    const fetchMock = mockFetch((url, init) => {
      if (url.includes(TEMPS) && !fail) return jsonResponse(chartAnswer(TEMPS));
      return chartsApi(url, init);
    });
    const user = userEvent.setup();
    render(<DashboardIsland {...dashboardProps()} />);
    await within(tile("Hottest day")).findByRole("alert");

    fail = false;
    await user.click(within(tile("Hottest day")).getByRole("button", { name: "Try again" }));

    expect((await within(tile("Hottest day")).findByTestId("kpi-value")).textContent).toBe("35.6");
    expect(dataCalls(fetchMock).filter((url) => url.includes(RAIN))).toHaveLength(1);
  });

  it("shows a note as plain text with its line breaks, never as HTML", async () => {
    mockFetch(chartsApi);
    render(<DashboardIsland {...dashboardProps()} />);
    await within(tile("Rainy days")).findByRole("img");

    const note = tile("Note");
    expect(note.querySelector("b")).toBeNull();
    expect(note.querySelector(".dashboard-note")?.textContent).toBe("Source: NOAA\n<b>daily</b> data");
  });

  it("is read-only for a viewer: no editing, no sharing, no saved filters", async () => {
    mockFetch(chartsApi);
    render(<DashboardIsland {...dashboardProps({ canEdit: false })} />);
    await within(tile("Rainy days")).findByRole("img");

    for (const name of [
      "Edit layout",
      "Save layout",
      "Add tile",
      "Share",
      "Add date range",
      "Save filters",
      "Remove",
    ]) {
      expect(screen.queryByRole("button", { name })).toBeNull();
    }
    // the grid neither drags nor resizes (react-resizable hides the handles with this class)
    const items = [...document.querySelectorAll(".react-grid-item")];
    expect(items).toHaveLength(3);
    expect(items.every((item) => !item.classList.contains("react-draggable"))).toBe(true);
    expect(items.every((item) => item.classList.contains("react-resizable-hide"))).toBe(true);
  });

  it("reads tiles through the share link's own endpoint, read-only", async () => {
    const fetchMock = mockFetch(() => jsonResponse(chartAnswer(RAIN)));
    render(
      <DashboardIsland
        {...dashboardProps({
          canEdit: false,
          shared: true,
          apiUrl: "",
          shareLinksUrl: "",
          tileDataUrl: "/api/v1/shared/tok123/tiles/{tile}/data/",
        })}
      />,
    );

    await within(tile("Rainy days")).findByRole("img");
    expect(dataCalls(fetchMock).sort()).toEqual([
      "/api/v1/shared/tok123/tiles/1/data/",
      "/api/v1/shared/tok123/tiles/2/data/",
    ]);
    expect(screen.queryByRole("button", { name: "Edit layout" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Share" })).toBeNull();
  });

  it("lets an editor add and remove tiles, then saves the layout with PATCH", async () => {
    const fetchMock = mockFetch((url, init) => {
      if (url === DASHBOARD_API && init.method === "PATCH") {
        const body = sentJson(init) as { tiles: object[] };
        return jsonResponse({
          ...dashboardProps().dashboard,
          tiles: body.tiles.map((t, index) => ({ ...t, id: 40 + index, kind: "chart" })),
        });
      }
      return chartsApi(url, init);
    });
    const user = userEvent.setup();
    render(<DashboardIsland {...dashboardProps()} />);

    document.getElementById("react-draggable-style-el")?.remove();
    expect(document.querySelector(".react-grid-item.react-draggable")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Edit layout" }));
    const items = [...document.querySelectorAll(".react-grid-item")];
    expect(items.every((item) => item.classList.contains("react-draggable"))).toBe(true);
    expect(items.some((item) => item.classList.contains("react-resizable-hide"))).toBe(false);
    // react-draggable finds its style slot taken and injects no <style> (the CSP would refuse it)
    expect(document.getElementById("react-draggable-style-el")?.tagName).toBe("META");
    await user.click(screen.getByRole("button", { name: "Add tile" }));
    await user.selectOptions(screen.getByLabelText("Tile"), "Sales by region — Sales");
    await user.click(screen.getByRole("button", { name: "Add" }));
    await user.click(within(tile("Note")).getByRole("button", { name: "Remove Note" }));

    expect(screen.getAllByTestId("tile").map((t) => t.getAttribute("aria-label"))).toEqual([
      "Rainy days",
      "Hottest day",
      "Sales by region",
    ]);
    await waitFor(() => expect(dataCalls(fetchMock)).toContain(`/api/v1/charts/${SALES}/data/`));

    await user.click(screen.getByRole("button", { name: "Save layout" }));

    expect((await screen.findByRole("status", { name: "" })).textContent).toBe("Layout saved.");
    const patch = (fetchMock.mock.calls as Call[]).find(([, init]) => init?.method === "PATCH")!;
    expect(patch[0]).toBe(DASHBOARD_API);
    expect(sentJson(patch[1])).toEqual({
      tiles: [
        { chart: RAIN, text: "", x: 0, y: 0, w: 6, h: 5 },
        { chart: TEMPS, text: "", x: 6, y: 0, w: 6, h: 5 },
        { chart: SALES, text: "", x: 0, y: 5, w: 6, h: 5 },
      ],
    });
    expect(screen.queryByRole("button", { name: "Save layout" })).toBeNull();
    // saving does not reload the tiles
    expect(dataCalls(fetchMock).filter((url) => url.includes(SALES))).toHaveLength(1);
  });

  it("shows why the layout could not be saved, and keeps the edits", async () => {
    mockFetch((url, init) => {
      if (url === DASHBOARD_API) {
        return jsonResponse(
          { error: { code: "invalid", message: "Tile 3: the chart is not in this workspace." } },
          400,
        );
      }
      return chartsApi(url, init);
    });
    const user = userEvent.setup();
    render(<DashboardIsland {...dashboardProps()} />);

    await user.click(screen.getByRole("button", { name: "Edit layout" }));
    await user.click(within(tile("Rainy days")).getByRole("button", { name: "Remove Rainy days" }));
    await user.click(screen.getByRole("button", { name: "Save layout" }));

    expect((await screen.findByText(/Could not save the layout/)).textContent).toContain(
      "Tile 3: the chart is not in this workspace.",
    );
    expect(screen.getByRole("button", { name: "Save layout" })).toBeTruthy();
    expect(screen.queryByRole("region", { name: "Rainy days" })).toBeNull();
  });

  it("edits a note in place", async () => {
    const fetchMock = mockFetch((url, init) => {
      if (url === DASHBOARD_API) return jsonResponse({ ...dashboardProps().dashboard, tiles: [] });
      return chartsApi(url, init);
    });
    const user = userEvent.setup();
    render(<DashboardIsland {...dashboardProps()} />);

    await user.click(screen.getByRole("button", { name: "Edit layout" }));
    await user.click(within(tile("Note")).getByRole("button", { name: "Edit note" }));
    const input = within(tile("Note")).getByLabelText("Note text");
    await user.clear(input);
    await user.type(input, "Updated weekly");
    await user.click(within(tile("Note")).getByRole("button", { name: "Done" }));
    await user.click(screen.getByRole("button", { name: "Save layout" }));

    await waitFor(() =>
      expect((fetchMock.mock.calls as Call[]).some(([, init]) => init?.method === "PATCH")).toBe(true),
    );
    const patch = (fetchMock.mock.calls as Call[]).find(([, init]) => init?.method === "PATCH")!;
    expect((sentJson(patch[1]) as { tiles: { text: string }[] }).tiles.map((t) => t.text)).toContain("Updated weekly");
  });

  it("applies a date range to the tiles, notes where it applied, and saves it", async () => {
    const fetchMock = mockFetch((url, init) => {
      if (url === DASHBOARD_API && init.method === "PATCH") {
        return jsonResponse({
          ...dashboardProps().dashboard,
          filters: (sentJson(init) as { filters: unknown[] }).filters,
        });
      }
      return chartsApi(url, init);
    });
    const user = userEvent.setup();
    render(<DashboardIsland {...dashboardProps()} />);
    await within(tile("Rainy days")).findByRole("img");

    await user.click(screen.getByRole("button", { name: "Add date range" }));
    await user.selectOptions(screen.getByLabelText("Column"), "date"); // a picker of the tiles' columns
    await user.type(screen.getByLabelText("From"), "2014-01-01");
    await user.type(screen.getByLabelText("To"), "2014-12-31");
    await user.click(screen.getByRole("button", { name: "Add" }));

    const range = [
      { column: "date", op: "gte", value: "2014-01-01" },
      { column: "date", op: "lte", value: "2014-12-31" },
    ];
    expect(await within(tile("Rainy days")).findByText("Filtered: date ≥ 2014-01-01, date ≤ 2014-12-31")).toBeTruthy();
    const rainCalls = dataCalls(fetchMock).filter((url) => url.includes(RAIN));
    expect(rainCalls.map(filtersOf)).toEqual([null, range]);

    await user.click(screen.getByRole("button", { name: "Save filters" }));
    expect(await screen.findByText("Filters saved.")).toBeTruthy();
    const patch = (fetchMock.mock.calls as Call[]).find(([, init]) => init?.method === "PATCH")!;
    expect(sentJson(patch[1])).toEqual({ filters: range });
  });

  it("lets a viewer change a filter value for the visit without saving it", async () => {
    const saved: DashboardFilter[] = [{ column: "date", op: "gte", value: "2014-01-01" }];
    const fetchMock = mockFetch(chartsApi);
    const user = userEvent.setup();
    render(
      <DashboardIsland
        {...dashboardProps({ canEdit: false, dashboard: { ...dashboardProps().dashboard, filters: saved } })}
      />,
    );
    await within(tile("Rainy days")).findByText("Filtered: date ≥ 2014-01-01");

    const value = screen.getByLabelText("date ≥");
    await user.clear(value);
    await user.type(value, "2015-06-01");
    await user.click(screen.getByRole("button", { name: "Apply" }));

    expect(await within(tile("Rainy days")).findByText("Filtered: date ≥ 2015-06-01")).toBeTruthy();
    expect(
      dataCalls(fetchMock)
        .filter((url) => url.includes(RAIN))
        .map(filtersOf),
    ).toEqual([saved, [{ column: "date", op: "gte", value: "2015-06-01" }]]);
    expect((fetchMock.mock.calls as Call[]).some(([, init]) => init?.method === "PATCH")).toBe(false);
    expect(screen.queryByRole("button", { name: "Save filters" })).toBeNull();
  });

  it("treats a filter declared without a value as offered, not in force", async () => {
    const declared = [{ column: "weather", op: "exact", value: null }] as DashboardFilter[];
    mockFetch(chartsApi);
    render(
      <DashboardIsland {...dashboardProps({ dashboard: { ...dashboardProps().dashboard, filters: declared } })} />,
    );
    expect(await within(tile("Rainy days")).findByRole("img", { name: "Rainy days" })).toBeTruthy();
    expect(screen.getByLabelText("weather =")).toBeTruthy();
    expect(screen.queryByText("The dashboard filters do not apply to this chart's dataset.")).toBeNull();
  });

  it("lists, creates and revokes share links", async () => {
    const links = [{ id: 5, token: "abc", url: "http://testserver/s/abc/", created_at: "2025-01-02T10:00:00Z" }];
    const fetchMock = mockFetch((url, init) => {
      if (url === SHARE_LINKS_URL && (init.method ?? "GET") === "GET") return jsonResponse(links);
      if (url === SHARE_LINKS_URL && init.method === "POST") {
        return jsonResponse(
          { id: 6, token: "new", url: "http://testserver/s/new/", created_at: "2025-01-03T10:00:00Z" },
          201,
        );
      }
      if (url === `${SHARE_LINKS_URL}5/` && init.method === "DELETE") return noContent();
      return chartsApi(url, init);
    });
    vi.spyOn(window, "confirm").mockReturnValue(true);
    const user = userEvent.setup();
    render(<DashboardIsland {...dashboardProps()} />);

    await user.click(screen.getByRole("button", { name: "Share" }));
    const panel = screen.getByRole("region", { name: "Share" });
    expect(await within(panel).findByText("http://testserver/s/abc/")).toBeTruthy();

    await user.click(within(panel).getByRole("button", { name: "Create share link" }));
    expect(await within(panel).findByText("http://testserver/s/new/")).toBeTruthy();

    const first = within(panel).getByText("http://testserver/s/abc/").closest("li")!;
    await user.click(within(first).getByRole("button", { name: "Revoke" }));
    await waitFor(() => expect(within(panel).queryByText("http://testserver/s/abc/")).toBeNull());
    const deletes = (fetchMock.mock.calls as Call[]).filter(([, init]) => init?.method === "DELETE");
    expect(deletes.map(([url]) => url)).toEqual([`${SHARE_LINKS_URL}5/`]);
    expect(CHART_DATA_URL).toContain("{chart}");
  });
});
