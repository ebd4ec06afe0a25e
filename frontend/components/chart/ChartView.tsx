import { useEffect, useMemo, useRef, useState } from "react";
import type { ECharts, EChartsOption } from "echarts";
import "./chart.css";
import { buildOption, chartRoles, type ChartOption, categoryColors } from "./buildOption";
import { formatNumber, formatValue } from "./format";
import { loadECharts } from "./loadECharts";
import { isNumericType, type ChartSpec, type QueryAnswer } from "../../lib/contract";
import { outputLabel } from "./spec";

/** What a drawn chart offers its page: its picture, for "Download PNG". */
export interface ChartHandle {
  toDataURL(): string;
}

export interface ChartViewProps {
  spec: ChartSpec;
  data: QueryAnswer;
  /** Pixels, or a CSS length such as "100%" when the parent sets the height (dashboard tiles). */
  height?: number | string;
  /** The chart's accessible name. */
  label?: string;
  /** Called with a handle once ECharts has drawn, and with null when the chart goes away. */
  onChartReady?: (chart: ChartHandle | null) => void;
}

const MAX_TABLE_ROWS = 1000;

/** A chart spec drawn from its answer: ECharts for plots, a number for KPI, an HTML table for table. */
export function ChartView({ spec, data, height = 360, label, onChartReady }: ChartViewProps) {
  if (data.rows.length === 0) {
    return (
      <div className="chart-empty muted" style={{ height }}>
        No data for this query.
      </div>
    );
  }
  if (spec.chart_type === "kpi") return <KpiView spec={spec} data={data} height={height} />;
  if (spec.chart_type === "table") return <TableView spec={spec} data={data} height={height} />;
  return <EChartView spec={spec} data={data} height={height} label={label} onChartReady={onChartReady} />;
}

function KpiView({ spec, data, height }: { spec: ChartSpec; data: QueryAnswer; height: number | string }) {
  const name = chartRoles(spec, data).measures[0] ?? data.columns[0]?.name ?? "";
  const type = data.columns.find((column) => column.name === name)?.type ?? "text";
  const value = data.rows[0]?.[name];
  let text = "—";
  if (typeof value === "number" || (typeof value === "string" && isNumericType(type))) text = formatNumber(value);
  else if (value !== null && value !== undefined) text = formatValue(value, type);
  return (
    <div className="chart-kpi" style={{ height }}>
      <div className="chart-kpi-value" data-testid="kpi-value">
        {text}
      </div>
      <div className="chart-kpi-label muted">{outputLabel(spec.query, name)}</div>
    </div>
  );
}

function TableView({ spec, data, height }: { spec: ChartSpec; data: QueryAnswer; height: number | string }) {
  const rows = data.rows.slice(0, MAX_TABLE_ROWS);
  return (
    <div className="chart-table" style={{ height }}>
      <table className="table data">
        <thead>
          <tr>
            {data.columns.map((column) => (
              <th key={column.name} scope="col" className={isNumericType(column.type) ? "num" : undefined}>
                {outputLabel(spec.query, column.name)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: an answer's rows have no key of their own; their position is their identity.
            <tr key={index}>
              {data.columns.map((column) => (
                <td key={column.name} className={isNumericType(column.type) ? "num" : undefined}>
                  {formatValue(row[column.name], column.type)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {data.rows.length > rows.length ? (
        <p className="muted small">
          Showing the first {rows.length} of {data.rows.length} rows.
        </p>
      ) : null}
    </div>
  );
}

function EChartView({ spec, data, height, label, onChartReady }: ChartViewProps & { height: number | string }) {
  const option: ChartOption = useMemo(() => buildOption(spec, data), [spec, data]);
  const colors = useMemo(() => JSON.stringify(categoryColors(option)), [option]);
  const container = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<ECharts | null>(null);
  const [failed, setFailed] = useState(false);
  const readyCallback = useRef(onChartReady);
  useEffect(() => {
    readyCallback.current = onChartReady;
  });

  useEffect(() => {
    let cancelled = false;
    let instance: ECharts | null = null;
    let observer: ResizeObserver | null = null;
    let frame = 0;
    const resize = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => instance?.resize());
    };
    loadECharts().then(
      (echarts) => {
        const element = container.current;
        if (cancelled || element === null) return;
        const drawn = echarts.init(element, null, { renderer: "canvas" });
        instance = drawn;
        if (typeof ResizeObserver === "undefined") window.addEventListener("resize", resize);
        else {
          observer = new ResizeObserver(resize);
          observer.observe(element);
        }
        setChart(drawn);
        readyCallback.current?.({
          toDataURL: () => drawn.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#ffffff" }),
        });
      },
      () => {
        if (!cancelled) setFailed(true);
      },
    );
    return () => {
      cancelled = true;
      cancelAnimationFrame(frame);
      observer?.disconnect();
      window.removeEventListener("resize", resize);
      if (instance !== null) {
        instance.dispose();
        readyCallback.current?.(null);
      }
    };
  }, []);

  useEffect(() => {
    // notMerge: a new spec replaces the old series instead of mixing with them
    chart?.setOption(option as unknown as EChartsOption, { notMerge: true });
  }, [chart, option]);

  if (failed) {
    return (
      <div className="alert alert-error" role="alert">
        The chart library could not be loaded. Reload the page to try again.
      </div>
    );
  }
  return (
    <div className="chart-frame" style={{ height }} data-category-colors={colors}>
      <div className="chart-canvas" ref={container} role="img" aria-label={label ?? "Chart"} />
      {/* The charting library arrives in its own chunk: until then the place says it is coming. */}
      {chart === null ? (
        <p className="chart-loading muted" role="status">
          Loading the chart…
        </p>
      ) : null}
    </div>
  );
}
