import { parseChartSpec, parseDashboard, type ChartSpec, type Dashboard } from "../../lib/contract";
import { expectObject, expectString, optionalString } from "../../lib/validate";

/** A saved chart as the dashboard page summarizes it (apps.dashboards.islands.chart_summaries). */
export interface ChartSummary extends ChartSpec {
  id: string;
  title: string;
  dataset_title: string;
  version_number: number | null;
}

export interface DashboardProps {
  dashboard: Dashboard;
  /** PATCH target of the dashboard; "" on a share link. */
  apiUrl: string;
  /** GET/POST share links, DELETE <shareLinksUrl><id>/; "" on a share link. */
  shareLinksUrl: string;
  charts: Record<string, ChartSummary>;
  canEdit: boolean;
  shared: boolean;
  /** A chart tile's data: "{chart}" (or "{tile}" on a share link) stands for its id. */
  tileDataUrl: string;
}

function parseCharts(raw: unknown): Record<string, ChartSummary> {
  const obj = expectObject(raw ?? {}, "charts");
  const charts: Record<string, ChartSummary> = {};
  for (const [key, value] of Object.entries(obj)) {
    const chart = expectObject(value, `charts[${key}]`);
    const version = chart.version_number;
    charts[key] = {
      ...parseChartSpec(chart, `charts[${key}]`),
      id: String(chart.id ?? key),
      title: optionalString(chart, "title") ?? "Chart",
      dataset_title: optionalString(chart, "dataset_title") ?? "",
      version_number: typeof version === "number" ? version : null,
    };
  }
  return charts;
}

// built by apps.dashboards.islands.dashboard_props (rendered by dashboard_view and shared_dashboard_view)
export function parseDashboardProps(raw: unknown): DashboardProps {
  const obj = expectObject(raw, "dashboard props");
  return {
    dashboard: parseDashboard(obj.dashboard),
    apiUrl: optionalString(obj, "apiUrl") ?? "",
    shareLinksUrl: optionalString(obj, "shareLinksUrl") ?? "",
    charts: parseCharts(obj.charts),
    canEdit: obj.canEdit === true,
    shared: obj.shared === true,
    tileDataUrl: expectString(obj, "tileDataUrl"),
  };
}
