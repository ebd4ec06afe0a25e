import { parseChartSpec } from "../../components/chart/spec";
import type { ChartSpec } from "../../components/chart/types";
import { expectObject, expectString, optionalString, PropsError } from "../../lib/validate";

/** A dashboard-wide filter: {column, op, value}, applied to the tiles whose dataset has the column. */
export interface DashboardFilter {
  column: string;
  op: string;
  value: unknown;
}

export interface Tile {
  id: number | null;
  chart: string | null;
  text: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Dashboard {
  id: string;
  workspace: string;
  slug: string;
  title: string;
  description: string;
  filters: DashboardFilter[];
  tiles: Tile[];
  page_url: string;
}

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

function gridNumber(obj: Record<string, unknown>, key: string, fallback: number): number {
  const value = obj[key];
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.round(value) : fallback;
}

export function parseTile(raw: unknown, index: number): Tile {
  const tile = expectObject(raw, `tiles[${index}]`);
  const id = tile.id;
  const chart = tile.chart;
  return {
    id: typeof id === "number" ? id : null,
    chart: typeof chart === "string" && chart !== "" ? chart : null,
    text: typeof tile.text === "string" ? tile.text : "",
    x: gridNumber(tile, "x", 0),
    y: gridNumber(tile, "y", 0),
    w: Math.max(1, gridNumber(tile, "w", 6)),
    h: Math.max(1, gridNumber(tile, "h", 4)),
  };
}

export function parseFilters(raw: unknown): DashboardFilter[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new PropsError(`"filters" must be a list`);
  return raw
    .filter((item): item is Record<string, unknown> => typeof item === "object" && item !== null)
    .filter((item) => typeof item.column === "string")
    .map((item) => ({
      column: item.column as string,
      op: typeof item.op === "string" ? item.op : "exact",
      value: item.value ?? null,
    }));
}

/** A dashboard as DashboardSerializer writes it (the page's props and the PATCH answer). */
export function parseDashboard(raw: unknown): Dashboard {
  const obj = expectObject(raw, "dashboard");
  const tiles = obj.tiles ?? [];
  if (!Array.isArray(tiles)) throw new PropsError(`"tiles" must be a list`);
  return {
    id: String(obj.id ?? ""),
    workspace: optionalString(obj, "workspace") ?? "",
    slug: optionalString(obj, "slug") ?? "",
    title: optionalString(obj, "title") ?? "",
    description: optionalString(obj, "description") ?? "",
    filters: parseFilters(obj.filters),
    tiles: tiles.map(parseTile),
    page_url: optionalString(obj, "page_url") ?? "",
  };
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
