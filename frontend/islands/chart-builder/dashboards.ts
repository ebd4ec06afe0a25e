// Adding a saved chart to a dashboard: the workspace's dashboards, and the tiles PATCH that appends it.
import { apiGet, type Paginated } from "../../lib/api";

export interface DashboardTile {
  id?: number;
  kind?: string;
  chart: string | null;
  text: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface DashboardSummary {
  id: string;
  title: string;
  tiles: DashboardTile[];
  page_url: string;
}

export const NEW_TILE = { w: 6, h: 5 } as const;
const MAX_PAGES = 10;

/** The tiles body that keeps every tile where it is and adds the chart below them all, left-aligned. */
export function tilesWithChart(tiles: DashboardTile[], chartId: string): Omit<DashboardTile, "id" | "kind">[] {
  const kept = tiles.map(({ chart, text, x, y, w, h }) => ({ chart: chart ?? null, text: text ?? "", x, y, w, h }));
  const below = tiles.reduce((bottom, tile) => Math.max(bottom, tile.y + tile.h), 0);
  return [...kept, { chart: chartId, text: "", x: 0, y: below, ...NEW_TILE }];
}

/** The dashboards API collection, from the workspace-filtered list URL (/api/v1/dashboards/?workspace=x). */
export function dashboardsApiBase(dashboardsUrl: string): string {
  return dashboardsUrl.split("?")[0] ?? dashboardsUrl;
}

export async function fetchDashboards(url: string, signal?: AbortSignal): Promise<DashboardSummary[]> {
  const all: DashboardSummary[] = [];
  let next: string | null = url;
  for (let page = 0; next !== null && page < MAX_PAGES; page += 1) {
    const body: Paginated<DashboardSummary> = await apiGet<Paginated<DashboardSummary>>(next, { signal });
    all.push(...body.results);
    next = body.next;
  }
  return all;
}
