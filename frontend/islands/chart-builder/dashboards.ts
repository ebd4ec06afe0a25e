// Adding a saved chart to a dashboard: the workspace's dashboards, and the tiles PATCH that appends it.
import { apiGetAll } from "../../lib/api";
import { parseDashboard, type Dashboard, type Tile } from "../../lib/contract";

export const NEW_TILE = { w: 6, h: 5 } as const;
const MAX_PAGES = 10;

/** The tiles body that keeps every tile where it is and adds the chart below them all, left-aligned. */
export function tilesWithChart(tiles: Tile[], chartId: string): Omit<Tile, "id">[] {
  const kept = tiles.map(({ chart, text, x, y, w, h }) => ({ chart, text, x, y, w, h }));
  const below = tiles.reduce((bottom, tile) => Math.max(bottom, tile.y + tile.h), 0);
  return [...kept, { chart: chartId, text: "", x: 0, y: below, ...NEW_TILE }];
}

/** The dashboards API collection, from the workspace-filtered list URL (/api/v1/dashboards/?workspace=x). */
export function dashboardsApiBase(dashboardsUrl: string): string {
  return dashboardsUrl.split("?")[0] ?? dashboardsUrl;
}

export function fetchDashboards(url: string, signal?: AbortSignal): Promise<Dashboard[]> {
  return apiGetAll(url, parseDashboard, { signal, maxPages: MAX_PAGES });
}
