import { render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from "vitest";
import { ChartView, type ChartHandle } from "./ChartView";
import type { ChartSpec, QueryAnswer } from "../../lib/contract";

interface FakeChart {
  element: HTMLElement;
  renderer: string;
  setOption: Mock;
  resize: Mock;
  dispose: Mock;
  getDataURL: Mock;
}

// jsdom has no canvas: a fake ECharts records what the component asks of it.
const echarts = vi.hoisted(() => ({ instances: [] as FakeChart[] }));

vi.mock("echarts", () => ({
  init: vi.fn((element: HTMLElement, _theme: unknown, opts: { renderer: string }) => {
    const instance: FakeChart = {
      element,
      renderer: opts.renderer,
      setOption: vi.fn(),
      resize: vi.fn(),
      dispose: vi.fn(),
      getDataURL: vi.fn(() => "data:image/png;base64,AAAA"),
    };
    echarts.instances.push(instance);
    return instance;
  }),
}));

const observers: { callback: ResizeObserverCallback; targets: Element[]; disconnected: boolean }[] = [];
class FakeResizeObserver {
  private entry: (typeof observers)[number];
  constructor(callback: ResizeObserverCallback) {
    this.entry = { callback, targets: [], disconnected: false };
    observers.push(this.entry);
  }
  observe(target: Element) {
    this.entry.targets.push(target);
  }
  unobserve() {}
  disconnect() {
    this.entry.disconnected = true;
  }
}

beforeEach(() => {
  echarts.instances.length = 0;
  observers.length = 0;
  vi.stubGlobal("ResizeObserver", FakeResizeObserver);
});

afterEach(() => {
  vi.useRealTimers();
});

const data: QueryAnswer = {
  columns: [
    { name: "weather", type: "text" },
    { name: "count", type: "integer" },
  ],
  rows: [
    { weather: "rain", count: 12 },
    { weather: "sun", count: 1234567 },
  ],
};

function spec(chart_type: ChartSpec["chart_type"]): ChartSpec {
  return { chart_type, query: { group_by: ["weather"], measures: [{ fn: "count" }] }, options: { x: "weather" } };
}

describe("ChartView", () => {
  it("draws plots with ECharts' canvas renderer, loaded on demand", async () => {
    render(<ChartView spec={spec("bar")} data={data} label="Count by weather" />);

    const canvas = screen.getByRole("img", { name: "Count by weather" });
    await waitFor(() => expect(echarts.instances).toHaveLength(1));
    const chart = echarts.instances[0]!;
    expect(chart.element).toBe(canvas);
    expect(chart.renderer).toBe("canvas");
    await waitFor(() => expect(chart.setOption).toHaveBeenCalled());
    const [option, settings] = chart.setOption.mock.lastCall as [{ series: { data: unknown[] }[] }, unknown];
    expect(option.series[0]?.data).toEqual([12, 1234567]);
    expect(settings).toEqual({ notMerge: true });
  });

  it("redraws with the new option when the data changes, in the same chart", async () => {
    const { rerender } = render(<ChartView spec={spec("line")} data={data} />);
    await waitFor(() => expect(echarts.instances[0]?.setOption).toHaveBeenCalledTimes(1));

    rerender(<ChartView spec={spec("line")} data={{ ...data, rows: [{ weather: "fog", count: 3 }] }} />);

    const chart = echarts.instances[0]!;
    await waitFor(() => expect(chart.setOption).toHaveBeenCalledTimes(2));
    expect((chart.setOption.mock.lastCall as [{ series: { data: unknown[] }[] }])[0].series[0]?.data).toEqual([3]);
    expect(echarts.instances).toHaveLength(1);
  });

  it("resizes with its container and disposes the chart on unmount", async () => {
    vi.spyOn(window, "requestAnimationFrame").mockImplementation((callback) => {
      callback(0);
      return 1;
    });
    const ready = vi.fn();
    const { unmount } = render(<ChartView spec={spec("bar")} data={data} onChartReady={ready} />);
    await waitFor(() => expect(ready).toHaveBeenCalledTimes(1));
    const chart = echarts.instances[0]!;
    const observer = observers.find((o) => o.targets.includes(chart.element))!;

    observer.callback([], observer as unknown as ResizeObserver);
    expect(chart.resize).toHaveBeenCalledTimes(1);

    unmount();
    expect(chart.dispose).toHaveBeenCalledTimes(1);
    expect(observer.disconnected).toBe(true);
    expect(ready).toHaveBeenLastCalledWith(null);
  });

  it("hands out a PNG of the chart for downloads", async () => {
    let handle: ChartHandle | null = null;
    render(<ChartView spec={spec("pie")} data={data} onChartReady={(h) => (handle = h)} />);
    await waitFor(() => expect(handle).not.toBeNull());

    expect(handle!.toDataURL()).toBe("data:image/png;base64,AAAA");
    expect(echarts.instances[0]!.getDataURL).toHaveBeenCalledWith(expect.objectContaining({ type: "png" }));
  });

  it("shows a KPI as a big formatted number with its label, without ECharts", async () => {
    const kpi: ChartSpec = { chart_type: "kpi", query: { measures: [{ fn: "avg", column: "temp_max" }] }, options: {} };
    render(
      <ChartView
        spec={kpi}
        data={{ columns: [{ name: "avg_temp_max", type: "float" }], rows: [{ avg_temp_max: 12345.678 }] }}
      />,
    );

    expect(screen.getByTestId("kpi-value").textContent).toBe(
      (12345.68).toLocaleString(undefined, { maximumFractionDigits: 2 }),
    );
    expect(screen.getByText("Average temp_max")).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(echarts.instances).toHaveLength(0);
  });

  it("shows a table as an HTML table with a header per output column", () => {
    render(<ChartView spec={spec("table")} data={data} />);

    const table = screen.getByRole("table");
    expect(table.classList.contains("table")).toBe(true);
    expect(
      within(table)
        .getAllByRole("columnheader")
        .map((th) => th.textContent),
    ).toEqual(["weather", "Count"]);
    expect(within(table).getAllByRole("row")).toHaveLength(3);
    expect(within(table).getByText("rain")).toBeTruthy();
    expect(echarts.instances).toHaveLength(0);
  });

  it("says so when the answer has no rows", () => {
    render(<ChartView spec={spec("bar")} data={{ ...data, rows: [] }} />);
    expect(screen.getByText("No data for this query.")).toBeTruthy();
    expect(screen.queryByRole("img")).toBeNull();
  });
});
