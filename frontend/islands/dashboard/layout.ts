// Dashboard logic without React: tile keys and layout, the PATCH bodies, tile data URLs and filters.
import { filterOpLabel, type DashboardFilter, type Tile } from "../../lib/contract";

export const GRID_COLUMNS = 12;
export const ROW_HEIGHT = 60;
export const CHART_TILE = { w: 6, h: 5 } as const;
export const NOTE_TILE = { w: 4, h: 3 } as const;

/** A tile on the page: `key` stays the same while it is moved, resized or saved. */
export interface TileState extends Tile {
  key: string;
}

export interface GridItem {
  i: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

let newTileCount = 0;

export function tileKey(tile: Tile): string {
  if (tile.id !== null) return `tile-${tile.id}`;
  newTileCount += 1;
  return `new-${newTileCount}`;
}

export function withKeys(tiles: Tile[]): TileState[] {
  return tiles.map((tile) => ({ ...tile, key: tileKey(tile) }));
}

/** The grid's layout for the tiles (react-grid-layout items keyed by the tile key). */
export function gridLayout(tiles: TileState[]): GridItem[] {
  return tiles.map(({ key, x, y, w, h }) => ({ i: key, x, y, w: Math.min(w, GRID_COLUMNS), h }));
}

/** Tiles moved and resized as the grid reports; unchanged tiles keep their identity. */
export function applyLayout(tiles: TileState[], layout: readonly GridItem[]): TileState[] {
  const byKey = new Map(layout.map((item) => [item.i, item]));
  let changed = false;
  const next = tiles.map((tile) => {
    const item = byKey.get(tile.key);
    if (!item || (item.x === tile.x && item.y === tile.y && item.w === tile.w && item.h === tile.h)) return tile;
    changed = true;
    return { ...tile, x: item.x, y: item.y, w: item.w, h: item.h };
  });
  return changed ? next : tiles;
}

/** The first free row below every tile. */
export function bottomRow(tiles: Tile[]): number {
  return tiles.reduce((bottom, tile) => Math.max(bottom, tile.y + tile.h), 0);
}

export function appendTile(tiles: TileState[], content: { chart: string } | { text: string }): TileState[] {
  const size = "chart" in content ? CHART_TILE : NOTE_TILE;
  const tile: Tile = {
    id: null,
    chart: "chart" in content ? content.chart : null,
    text: "text" in content ? content.text : "",
    x: 0,
    y: bottomRow(tiles),
    ...size,
  };
  return [...tiles, { ...tile, key: tileKey(tile) }];
}

/** PATCH body that replaces the dashboard's tiles, in reading order (top to bottom, left to right). */
export function layoutPatchBody(tiles: Tile[]): { tiles: Omit<Tile, "id">[] } {
  const ordered = [...tiles].sort((a, b) => a.y - b.y || a.x - b.x);
  return {
    tiles: ordered.map(({ chart, text, x, y, w, h }) => ({ chart, text: chart === null ? text : "", x, y, w, h })),
  };
}

/** The saved tiles (new ids from the server) with the keys of the tiles they were, matched by grid position. */
export function keysAfterSave(local: TileState[], saved: Tile[]): TileState[] {
  const byPosition = new Map(local.map((tile) => [`${tile.x},${tile.y}`, tile.key]));
  return saved.map((tile) => ({ ...tile, key: byPosition.get(`${tile.x},${tile.y}`) ?? tileKey(tile) }));
}

export function sameFilters(a: DashboardFilter[], b: DashboardFilter[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Where a chart tile reads its data, with the dashboard-wide filters as `?filters=<JSON>`. A saved chart's
 * data endpoint knows nothing of the dashboard, so the page sends the filters in force. On a share link
 * the server adds the dashboard's saved filters itself: only changed filters are sent. Null for a tile
 * that has no data to read (a note, or an unsaved tile on a share link).
 */
export function tileDataUrl(
  template: string,
  tile: Pick<Tile, "id" | "chart">,
  filters: DashboardFilter[],
  saved: DashboardFilter[] = [],
): string | null {
  if (tile.chart === null) return null;
  let url: string;
  if (template.includes("{tile}")) {
    if (tile.id === null) return null;
    url = template.replace("{tile}", encodeURIComponent(String(tile.id)));
    if (sameFilters(filters, saved)) return url;
  } else {
    url = template.replace("{chart}", encodeURIComponent(tile.chart));
  }
  if (filters.length === 0) return url;
  return `${url}${url.includes("?") ? "&" : "?"}filters=${encodeURIComponent(JSON.stringify(filters))}`;
}

/** A date range as the two filters the server applies: column ≥ from and column ≤ to (either may be left out). */
export function dateRangeFilters(column: string, from: string, to: string): DashboardFilter[] {
  const filters: DashboardFilter[] = [];
  if (from) filters.push({ column, op: "gte", value: from });
  if (to) filters.push({ column, op: "lte", value: to });
  return filters;
}

export function describeFilter(filter: DashboardFilter): string {
  if (filter.op === "isnull") {
    return `${filter.column} ${filter.value === false || filter.value === "false" ? "is not empty" : "is empty"}`;
  }
  const value = Array.isArray(filter.value) ? filter.value.join(", ") : String(filter.value ?? "");
  return `${filter.column} ${filterOpLabel(filter.op)} ${value}`;
}
