import { useEffect, useMemo, useState } from "react";
import ReactGridLayout, { useContainerWidth, type Layout } from "react-grid-layout";
import { groupColumn } from "../../components/chart/spec";
import { apiPatch, errorMessage } from "../../lib/api";
import { AddTileForm } from "./AddTileForm";
import { claimDraggableStyleSlot } from "./draggableStyle";
import { FilterBar } from "./FilterBar";
import {
  GRID_COLUMNS,
  ROW_HEIGHT,
  appendTile,
  applyLayout,
  gridLayout,
  keysAfterSave,
  layoutPatchBody,
  tileDataUrl,
  withKeys,
  type TileState,
} from "./layout";
import { parseDashboard, type DashboardFilter } from "../../lib/contract";
import type { ChartSummary, DashboardProps } from "./props";
import { SharePanel } from "./SharePanel";
import { TileCard } from "./TileCard";
import { useStaleCharts } from "./useStaleCharts";
import { viewLayout } from "./viewLayout";

/** Column names the charts read, offered when an editor types a filter column. */
function columnHints(charts: ChartSummary[]): string[] {
  const names = new Set<string>();
  for (const chart of charts) {
    for (const name of chart.columns) names.add(name);
    for (const group of chart.query.group_by ?? []) names.add(groupColumn(group));
    for (const filter of chart.query.filters ?? []) names.add(filter.column);
    for (const measure of chart.query.measures ?? []) if (measure.column) names.add(measure.column);
  }
  return [...names].sort();
}

type Notice = { ok: boolean; text: string } | null;

export function DashboardIsland(props: DashboardProps) {
  const { charts, shared } = props;
  const canEdit = props.canEdit && !shared && props.apiUrl !== "";
  const [tiles, setTiles] = useState<TileState[]>(() => withKeys(props.dashboard.tiles));
  const [lastSaved, setLastSaved] = useState<TileState[]>(tiles);
  const [editing, setEditing] = useState(false);
  const [adding, setAdding] = useState(false);
  const [sharing, setSharing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const [savedFilters, setSavedFilters] = useState<DashboardFilter[]>(props.dashboard.filters);
  const [activeFilters, setActiveFilters] = useState<DashboardFilter[]>(props.dashboard.filters);
  const { width, containerRef } = useContainerWidth();
  const stale = useStaleCharts(props.dashboard.id, !shared);

  const chartList = useMemo(() => Object.values(charts).sort((a, b) => a.title.localeCompare(b.title)), [charts]);
  // The filter's column picker offers the columns of the charts on the tiles.
  const hints = useMemo(
    () =>
      columnHints(
        tiles.flatMap((tile) =>
          tile.chart !== null && charts[tile.chart] ? [charts[tile.chart] as ChartSummary] : [],
        ),
      ),
    [tiles, charts],
  );
  const layout = useMemo(
    () => (editing ? gridLayout(tiles) : viewLayout(tiles, width > 0 ? width : 1180)),
    [tiles, editing, width],
  );

  useEffect(() => {
    if (editing) claimDraggableStyleSlot();
  }, [editing]);

  function startEditing() {
    setNotice(null);
    setEditing(true);
  }

  function cancelEditing() {
    setTiles(lastSaved);
    setEditing(false);
    setAdding(false);
  }

  async function saveLayout() {
    if (tiles.some((tile) => tile.chart === null && tile.text.trim() === "")) {
      setNotice({ ok: false, text: "A note cannot be empty: write something or remove it." });
      return;
    }
    setSaving(true);
    setNotice(null);
    try {
      const answer = parseDashboard(await apiPatch<unknown>(props.apiUrl, layoutPatchBody(tiles)));
      const next = keysAfterSave(tiles, answer.tiles);
      setTiles(next);
      setLastSaved(next);
      setEditing(false);
      setAdding(false);
      setNotice({ ok: true, text: "Layout saved." });
    } catch (error) {
      setNotice({ ok: false, text: `Could not save the layout: ${errorMessage(error)}` });
    } finally {
      setSaving(false);
    }
  }

  async function saveFilters(filters: DashboardFilter[]) {
    try {
      const answer = parseDashboard(await apiPatch<unknown>(props.apiUrl, { filters }));
      setSavedFilters(answer.filters);
      setActiveFilters(answer.filters);
    } catch (error) {
      throw new Error(`Could not save the filters: ${errorMessage(error)}`);
    }
  }

  function onLayoutChange(next: Layout) {
    // Only a layout being edited is kept: a phone's single column and sized notes are views of it.
    if (!editing) return;
    setTiles((current) => applyLayout(current, next));
  }

  return (
    <div className="stack dashboard">
      {canEdit ? (
        <div className="row spread dashboard-toolbar">
          <div className="row">
            {canEdit && !editing ? (
              <button type="button" className="btn" onClick={startEditing}>
                Edit layout
              </button>
            ) : null}
            {editing ? (
              <>
                <button type="button" className="btn" aria-expanded={adding} onClick={() => setAdding(!adding)}>
                  Add tile
                </button>
                <button type="button" className="btn btn-primary" disabled={saving} onClick={saveLayout}>
                  Save layout
                </button>
                <button type="button" className="btn" disabled={saving} onClick={cancelEditing}>
                  Cancel
                </button>
                <span className="muted small">Drag a tile by its header, resize it from its corner.</span>
              </>
            ) : null}
          </div>
          {canEdit && props.shareLinksUrl !== "" ? (
            <button type="button" className="btn" aria-expanded={sharing} onClick={() => setSharing(!sharing)}>
              Share
            </button>
          ) : null}
        </div>
      ) : null}

      {sharing && canEdit ? <SharePanel shareLinksUrl={props.shareLinksUrl} /> : null}

      <FilterBar
        saved={savedFilters}
        active={activeFilters}
        canEdit={canEdit}
        columnHints={hints}
        onApply={setActiveFilters}
        onSave={saveFilters}
      />

      {editing && adding ? (
        <AddTileForm
          charts={chartList}
          onAdd={(content) => setTiles((current) => appendTile(current, content))}
          onClose={() => setAdding(false)}
        />
      ) : null}

      {notice !== null ? (
        <div className={`alert ${notice.ok ? "alert-success" : "alert-error"}`} role={notice.ok ? "status" : "alert"}>
          {notice.text}
        </div>
      ) : null}

      <div ref={containerRef} className={`dashboard-grid${editing ? " dashboard-grid-editing" : ""}`}>
        {tiles.length === 0 ? (
          <p className="card muted">
            This dashboard has no tiles yet.{canEdit ? " Choose Edit layout, then Add tile." : ""}
          </p>
        ) : (
          <ReactGridLayout
            width={width > 0 ? width : 1180}
            layout={layout}
            gridConfig={{ cols: GRID_COLUMNS, rowHeight: ROW_HEIGHT, margin: [16, 16], containerPadding: [0, 0] }}
            dragConfig={{
              enabled: editing,
              handle: ".dashboard-tile-head",
              cancel: "button, input, textarea, select, a",
            }}
            resizeConfig={{ enabled: editing }}
            onLayoutChange={onLayoutChange}
          >
            {tiles.map((tile) => (
              <div key={tile.key} className="dashboard-grid-item">
                <TileCard
                  chart={tile.chart === null ? null : charts[tile.chart]}
                  text={tile.text}
                  dataUrl={tileDataUrl(props.tileDataUrl, tile, activeFilters, savedFilters)}
                  activeFilters={activeFilters}
                  refresh={tile.chart === null ? 0 : (stale[tile.chart] ?? 0)}
                  editing={editing}
                  onRemove={() => setTiles((current) => current.filter((t) => t.key !== tile.key))}
                  onTextChange={(text) =>
                    setTiles((current) => current.map((t) => (t.key === tile.key ? { ...t, text } : t)))
                  }
                />
              </div>
            ))}
          </ReactGridLayout>
        )}
      </div>
    </div>
  );
}
