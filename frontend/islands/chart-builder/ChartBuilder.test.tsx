import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi, type Mock } from "vitest";
import { jsonResponse, mockFetch, sentJson, type Handler } from "../../test/fetch";
import { ChartBuilder } from "./ChartBuilder";
import {
  CHARTS_URL,
  DASHBOARDS_URL,
  DATASET_ID,
  MONTHLY_COUNTS,
  QUERY_URL,
  WEATHER_COUNTS,
  builderProps,
} from "./fixtures";
import type { Chart } from "../../lib/contract";

interface FakeChart {
  setOption: Mock;
  getDataURL: Mock;
}

// jsdom has no canvas: ECharts is replaced by a recorder.
const echarts = vi.hoisted(() => ({ instances: [] as FakeChart[] }));
vi.mock("echarts", () => ({
  init: vi.fn(() => {
    const chart: FakeChart = {
      setOption: vi.fn(),
      getDataURL: vi.fn(() => "data:image/png;base64,UE5H"),
    };
    echarts.instances.push(chart);
    return { ...chart, resize: vi.fn(), dispose: vi.fn() };
  }),
}));

beforeEach(() => {
  echarts.instances.length = 0;
  window.history.replaceState(null, "", "/w/acme/weather/explore/"); // the builder keeps its state in the URL
});

type Call = [string, RequestInit | undefined];

function posts(fetchMock: Mock, url: string): unknown[] {
  return (fetchMock.mock.calls as Call[])
    .filter(([callUrl, init]) => callUrl === url && init?.method === "POST")
    .map(([, init]) => sentJson(init));
}

/** The query API: answers by the first group, or a 400 for a column named "broken". */
const queryApi: Handler = (url, init) => {
  if (url.endsWith("/query/") && init.method === "POST") {
    const body = sentJson(init) as { group_by: unknown[] };
    const first = body.group_by[0];
    if (first === "weather") return jsonResponse(WEATHER_COUNTS);
    return jsonResponse(MONTHLY_COUNTS);
  }
  return jsonResponse({ error: { code: "not_found", message: "Not found." } }, 404);
};

function lastOption(): { series: { data: unknown[] }[] } {
  const chart = echarts.instances[echarts.instances.length - 1]!;
  return chart.setOption.mock.lastCall![0] as { series: { data: unknown[] }[] };
}

describe("chart builder", () => {
  it("sends a date filter only once its value is a whole ISO date, and marks it until then", async () => {
    const fetchMock = mockFetch(queryApi);
    const user = userEvent.setup();
    render(<ChartBuilder {...builderProps()} />);
    await within(screen.getByTestId("chart-preview")).findByRole("img");

    await user.click(screen.getByRole("button", { name: "Add filter" }));
    await user.selectOptions(screen.getByLabelText("Filter column"), "date");
    await user.selectOptions(screen.getByLabelText("Operator"), "gte");
    const value = screen.getByLabelText("Value") as HTMLInputElement;
    expect(value.type).toBe("text");
    expect(value.placeholder).toBe("2024-01-31");
    await user.type(value, "2013-1");
    expect(value.getAttribute("aria-invalid")).toBe("true");
    await user.type(value, "0-01");
    expect(value.getAttribute("aria-invalid")).toBeNull();

    await waitFor(() =>
      expect(posts(fetchMock, QUERY_URL).at(-1)).toMatchObject({
        filters: [{ column: "date", op: "gte", value: "2013-10-01" }],
      }),
    );
    const sentDates = posts(fetchMock, QUERY_URL).flatMap(
      (body) => (body as { filters: { value: unknown }[] }).filters,
    );
    expect(sentDates.map((filter) => filter.value)).toEqual(["2013-10-01"]);
  });

  it("posts the default query from the profile and draws the preview", async () => {
    const fetchMock = mockFetch(queryApi);

    render(<ChartBuilder {...builderProps()} />);

    const preview = screen.getByTestId("chart-preview");
    await within(preview).findByRole("img");
    expect(posts(fetchMock, QUERY_URL)).toEqual([
      {
        filters: [],
        group_by: [{ column: "date", bucket: "month" }],
        measures: [{ fn: "count" }],
        order_by: [],
        limit: 1000,
      },
    ]);
    expect((screen.getByLabelText("Chart type") as HTMLSelectElement).value).toBe("line");
    expect((screen.getByLabelText("Bucket") as HTMLSelectElement).value).toBe("month");
    await waitFor(() =>
      expect(lastOption().series[0]?.data).toEqual([
        ["2012-01-01", 31],
        ["2012-02-01", 29],
      ]),
    );
  });

  it("queries again when the settings change and draws the new answer", async () => {
    const fetchMock = mockFetch(queryApi);
    const user = userEvent.setup();
    render(<ChartBuilder {...builderProps()} />);
    await within(screen.getByTestId("chart-preview")).findByRole("img");

    await user.selectOptions(screen.getByLabelText("Chart type"), "Bar");
    await user.selectOptions(screen.getByLabelText("X axis"), "weather");
    await user.selectOptions(screen.getByLabelText("Function"), "Average");

    await waitFor(() =>
      expect(posts(fetchMock, QUERY_URL).at(-1)).toMatchObject({
        group_by: ["weather"],
        measures: [{ fn: "avg", column: "temp_max" }],
      }),
    );
    await waitFor(() => expect(lastOption().series[0]?.data).toEqual([641, 640]));
    expect(screen.queryByLabelText("Bucket")).toBeNull();
  });

  it("shows the server's error message for a query it refuses", async () => {
    mockFetch(() =>
      jsonResponse(
        { error: { code: "invalid_measure", message: "measures[0]: sum needs a number column.", details: null } },
        400,
      ),
    );

    render(<ChartBuilder {...builderProps()} />);

    expect((await screen.findByRole("alert")).textContent).toBe("measures[0]: sum needs a number column.");
    expect(within(screen.getByTestId("chart-preview")).queryByRole("img")).toBeNull();
  });

  it("saves the chart: dataset, title, type, query, options and the pinned version", async () => {
    const fetchMock = mockFetch((url, init) => {
      if (url === CHARTS_URL && init.method === "POST") {
        const body = sentJson(init) as Record<string, unknown>;
        return jsonResponse({ ...body, id: "c0ffee00-0000-4000-8000-000000000001", workspace: "acme" }, 201);
      }
      if (url === DASHBOARDS_URL) return jsonResponse({ count: 0, next: null, previous: null, results: [] });
      return queryApi(url, init);
    });
    const user = userEvent.setup();
    render(<ChartBuilder {...builderProps()} />);
    await within(screen.getByTestId("chart-preview")).findByRole("img");

    await user.type(screen.getByLabelText("Title"), "Rainy days");
    await user.selectOptions(screen.getByLabelText("Pinned to"), "Version 2");
    await user.click(screen.getByRole("button", { name: "Save chart" }));

    expect(await screen.findByText("Saved “Rainy days”.")).toBeTruthy();
    expect(posts(fetchMock, CHARTS_URL)).toEqual([
      {
        dataset: DATASET_ID,
        title: "Rainy days",
        chart_type: "line",
        query: {
          filters: [],
          group_by: [{ column: "date", bucket: "month" }],
          measures: [{ fn: "count" }],
          order_by: [],
          limit: 1000,
        },
        options: { x: "date", series: null, measures: ["count"], stacked: false, horizontal: false },
        version_number: 2,
      },
    ]);
    // the preview follows the pinned version
    await waitFor(() => expect(posts(fetchMock, `/api/v1/datasets/${DATASET_ID}/versions/2/query/`)).toHaveLength(1));
    expect(screen.getByRole("button", { name: "Add to dashboard" })).toBeTruthy();
  });

  it("adds the saved chart in the first free place of a dashboard and links to it", async () => {
    const saved: Chart = {
      id: "c0ffee00-0000-4000-8000-000000000001",
      title: "Rain by month",
      dataset: DATASET_ID,
      chart_type: "line",
      query: { group_by: [{ column: "date", bucket: "month" }], measures: [{ fn: "count" }] },
      options: { x: "date", series: null, measures: ["count"] },
      version_number: null,
    };
    const dashboard = {
      id: "d1",
      title: "Weather",
      page_url: "/w/acme/dashboards/weather/",
      tiles: [
        { id: 1, kind: "text", chart: null, text: "Hello", x: 0, y: 0, w: 12, h: 2 },
        { id: 2, kind: "chart", chart: "c2", text: "", x: 6, y: 2, w: 6, h: 5 },
      ],
    };
    const fetchMock = mockFetch((url, init) => {
      if (url === DASHBOARDS_URL) return jsonResponse({ count: 1, next: null, previous: null, results: [dashboard] });
      if (url === "/api/v1/dashboards/d1/" && init.method === "PATCH") {
        return jsonResponse({ ...dashboard, tiles: (sentJson(init) as { tiles: unknown[] }).tiles });
      }
      return queryApi(url, init);
    });
    const user = userEvent.setup();
    render(<ChartBuilder {...builderProps({ chart: saved })} />);

    await screen.findByRole("option", { name: "Weather" });
    await user.click(screen.getByRole("button", { name: "Add to dashboard" }));

    const link = await screen.findByRole("link", { name: "Weather" });
    expect(link.getAttribute("href")).toBe("/w/acme/dashboards/weather/");
    const patch = (fetchMock.mock.calls as Call[]).find(([, init]) => init?.method === "PATCH")!;
    expect(patch[0]).toBe("/api/v1/dashboards/d1/");
    expect(sentJson(patch[1])).toEqual({
      tiles: [
        { chart: null, text: "Hello", x: 0, y: 0, w: 12, h: 2 },
        { chart: "c2", text: "", x: 6, y: 2, w: 6, h: 5 },
        { chart: saved.id, text: "", x: 0, y: 2, w: 6, h: 5 },
      ],
    });
  });

  it("creates a new dashboard to add the chart to", async () => {
    const saved: Chart = {
      id: "c1",
      title: "Count",
      dataset: DATASET_ID,
      chart_type: "kpi",
      query: { measures: [{ fn: "count" }] },
      options: {},
      version_number: null,
    };
    const fetchMock = mockFetch((url, init) => {
      if (url === DASHBOARDS_URL) return jsonResponse({ count: 0, next: null, previous: null, results: [] });
      if (url === "/api/v1/dashboards/" && init.method === "POST") {
        return jsonResponse({ id: "d9", title: "Fresh", tiles: [], page_url: "/w/acme/dashboards/fresh/" }, 201);
      }
      if (url === "/api/v1/dashboards/d9/") {
        return jsonResponse({ id: "d9", title: "Fresh", tiles: [], page_url: "/w/acme/dashboards/fresh/" });
      }
      return jsonResponse({ columns: [{ name: "count", type: "integer" }], rows: [{ count: 1461 }] });
    });
    const user = userEvent.setup();
    render(<ChartBuilder {...builderProps({ chart: saved })} />);

    await user.type(await screen.findByLabelText("New dashboard title"), "Fresh");
    await user.click(screen.getByRole("button", { name: "Add to dashboard" }));

    expect((await screen.findByRole("link", { name: "Fresh" })).getAttribute("href")).toBe("/w/acme/dashboards/fresh/");
    expect(posts(fetchMock, "/api/v1/dashboards/")).toEqual([{ workspace: "acme", title: "Fresh" }]);
    const patch = (fetchMock.mock.calls as Call[]).find(([, init]) => init?.method === "PATCH")!;
    expect(sentJson(patch[1])).toEqual({ tiles: [{ chart: "c1", text: "", x: 0, y: 0, w: 6, h: 5 }] });
    // a KPI draws no picture
    expect((screen.getByRole("button", { name: "Download PNG" }) as HTMLButtonElement).disabled).toBe(true);
    expect((await screen.findByTestId("kpi-value")).textContent).toBe((1461).toLocaleString());
  });

  it("opens a saved chart with its settings and saves changes with PATCH", async () => {
    const saved: Chart = {
      id: "c7",
      title: "Weather mix",
      dataset: DATASET_ID,
      chart_type: "bar",
      query: {
        filters: [{ column: "temp_max", op: "gte", value: 10 }],
        group_by: [{ bucket: null, column: "weather" }],
        measures: [{ as: "count", column: null, fn: "count" }],
        order_by: [],
        limit: 1000,
      },
      options: { x: "weather", series: null, measures: ["count"], stacked: false, horizontal: true },
      version_number: 1,
    };
    const fetchMock = mockFetch((url, init) => {
      if (url === "/api/v1/charts/c7/" && init.method === "PATCH") {
        return jsonResponse({ ...saved, ...(sentJson(init) as object) });
      }
      if (url === DASHBOARDS_URL) return jsonResponse({ count: 0, next: null, previous: null, results: [] });
      return queryApi(url, init);
    });
    const user = userEvent.setup();
    render(<ChartBuilder {...builderProps({ chart: saved })} />);

    expect((screen.getByLabelText("Chart type") as HTMLSelectElement).value).toBe("bar");
    expect((screen.getByLabelText("X axis") as HTMLSelectElement).value).toBe("weather");
    expect((screen.getByLabelText("Title") as HTMLInputElement).value).toBe("Weather mix");
    expect((screen.getByLabelText("Pinned to") as HTMLSelectElement).value).toBe("1");
    expect((screen.getByLabelText("Value") as HTMLInputElement).value).toBe("10");
    expect((screen.getByLabelText("Horizontal") as HTMLInputElement).checked).toBe(true);
    await within(screen.getByTestId("chart-preview")).findByRole("img");
    expect(posts(fetchMock, `/api/v1/datasets/${DATASET_ID}/versions/1/query/`)[0]).toMatchObject({
      filters: [{ column: "temp_max", op: "gte", value: 10 }],
      group_by: ["weather"],
    });

    await user.click(screen.getByLabelText("Horizontal"));
    await user.click(screen.getByRole("button", { name: "Save chart" }));

    await screen.findByText(/Saved “Weather mix”/);
    const patch = (fetchMock.mock.calls as Call[]).find(([, init]) => init?.method === "PATCH")!;
    expect(sentJson(patch[1])).toMatchObject({
      title: "Weather mix",
      chart_type: "bar",
      options: { horizontal: false },
      version_number: 1,
    });
    expect(posts(fetchMock, CHARTS_URL)).toEqual([]);
  });

  it("downloads the preview's data as CSV before the chart is saved, and the picture as PNG", async () => {
    mockFetch(queryApi);
    const clicks: { href: string; download: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push({ href: this.href, download: this.download });
    });
    const blobs: Blob[] = [];
    vi.stubGlobal(
      "URL",
      Object.assign(URL, {
        createObjectURL: vi.fn((blob: Blob) => {
          blobs.push(blob);
          return "blob:preview";
        }),
        revokeObjectURL: vi.fn(),
      }),
    );
    const user = userEvent.setup();
    render(<ChartBuilder {...builderProps()} />);
    await within(screen.getByTestId("chart-preview")).findByRole("img");

    await user.click(screen.getByRole("button", { name: "Download CSV" }));
    expect(clicks[0]).toEqual({ href: "blob:preview", download: "count-by-month.csv" });
    expect(await blobs[0]!.text()).toBe("date,count\r\n2012-01-01,31\r\n2012-02-01,29\r\n");

    await waitFor(() =>
      expect((screen.getByRole("button", { name: "Download PNG" }) as HTMLButtonElement).disabled).toBe(false),
    );
    await user.click(screen.getByRole("button", { name: "Download PNG" }));
    expect(clicks[1]).toEqual({ href: "data:image/png;base64,UE5H", download: "count-by-month.png" });
  });

  it("offers no saving to a viewer", async () => {
    mockFetch(queryApi);
    render(<ChartBuilder {...builderProps({ canSave: false })} />);
    await within(screen.getByTestId("chart-preview")).findByRole("img");
    expect(screen.queryByRole("button", { name: "Save chart" })).toBeNull();
    expect(screen.queryByLabelText("Title")).toBeNull();
  });
});
