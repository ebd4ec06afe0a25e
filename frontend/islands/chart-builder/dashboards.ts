// Adding a saved chart to a dashboard: the workspace's dashboards, and the tiles PATCH that appends it.
import { apiGetAll } from "../../lib/api";
import { parseDashboard, type Dashboard, type Tile } from "../../lib/contract";

export const NEW_TILE = { w: 6, h: 5 } as const;
const COLUMNS = 12;
const MAX_PAGES = 10;

type Place = Pick<Tile, "x" | "y" | "w" | "h">;

function overlaps(a: Place, b: Place): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** The first free place for a w×h tile on the 12-column grid, reading rows top to bottom and left to
 * right: beside the last chart when there is room, else below everything. */
export function firstFreePlace(tiles: Place[], w: number = NEW_TILE.w, h: number = NEW_TILE.h): Place {
  const bottom = tiles.reduce((lowest, tile) => Math.max(lowest, tile.y + tile.h), 0);
  for (let y = 0; y <= bottom; y += 1) {
    for (let x = 0; x + w <= COLUMNS; x += 1) {
      const place = { x, y, w, h };
      if (!tiles.some((tile) => overlaps(place, tile))) return place;
    }
  }
  return { x: 0, y: bottom, w, h };
}

/** The tiles body that keeps every tile where it is and adds the chart in the first free place. */
export function tilesWithChart(tiles: Tile[], chartId: string): Omit<Tile, "id">[] {
  const kept = tiles.map(({ chart, text, x, y, w, h }) => ({ chart, text, x, y, w, h }));
  return [...kept, { chart: chartId, text: "", ...firstFreePlace(kept) }];
}

/** The dashboards API collection, from the workspace-filtered list URL (/api/v1/dashboards/?workspace=x). */
export function dashboardsApiBase(dashboardsUrl: string): string {
  return dashboardsUrl.split("?")[0] ?? dashboardsUrl;
}

export function fetchDashboards(url: string, signal?: AbortSignal): Promise<Dashboard[]> {
  return apiGetAll(url, parseDashboard, { signal, maxPages: MAX_PAGES });
}
