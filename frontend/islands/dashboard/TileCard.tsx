import { useId, useState } from "react";
import { ChartView } from "../../components/chart/ChartView";
import { describeFilter } from "./layout";
import { isSetFilter, type DashboardFilter } from "../../lib/contract";
import type { ChartSummary } from "./props";
import { useTileData } from "./useTileData";

interface ChartTileProps {
  chart: ChartSummary;
  dataUrl: string | null;
  /** The dashboard filters in force, to say when none of them applies to this chart. */
  activeFilters: DashboardFilter[];
  /** Counts the times the chart's dataset got a new version while the page is open. */
  refresh?: number;
}

function ChartTileBody({ chart, dataUrl, activeFilters, refresh = 0 }: ChartTileProps) {
  const tile = useTileData(dataUrl, refresh);
  if (tile.error !== null) {
    return (
      <div className="alert alert-error dashboard-tile-error" role="alert">
        <p>Could not load this chart: {tile.error}</p>
        <button type="button" className="btn btn-small" onClick={tile.retry}>
          Try again
        </button>
      </div>
    );
  }
  if (tile.data === null) {
    return (
      <p className="muted dashboard-tile-status" role="status">
        {tile.loading ? "Loading…" : "This chart has no data here."}
      </p>
    );
  }
  let note: string | null = null;
  if (tile.filtersApplied.length > 0) note = `Filtered: ${tile.filtersApplied.map(describeFilter).join(", ")}`;
  else if (activeFilters.some(isSetFilter)) note = "The dashboard filters do not apply to this chart's dataset.";
  return (
    <>
      <div className={`dashboard-tile-chart${tile.loading ? " dashboard-tile-stale" : ""}`} aria-busy={tile.loading}>
        <ChartView spec={chart} data={tile.data} height="100%" label={chart.title} />
      </div>
      {note !== null ? <p className="muted small dashboard-tile-note">{note}</p> : null}
    </>
  );
}

interface TileCardProps {
  /** The chart of a chart tile (undefined when it is missing from the page's charts), or null for a note. */
  chart: ChartSummary | null | undefined;
  text: string;
  dataUrl: string | null;
  activeFilters: DashboardFilter[];
  editing: boolean;
  onRemove: () => void;
  onTextChange: (text: string) => void;
  refresh?: number;
}

/** A tile: a saved chart that loads its own data, or a plain-text note. */
export function TileCard({
  chart,
  text,
  dataUrl,
  activeFilters,
  editing,
  onRemove,
  onTextChange,
  refresh,
}: TileCardProps) {
  const id = useId();
  const [editingNote, setEditingNote] = useState(false);
  const isNote = chart === null;
  const title = isNote ? "Note" : (chart?.title ?? "Missing chart");
  const showEditor = editing && isNote && (editingNote || text.trim() === "");

  return (
    <section
      className={`card dashboard-tile${editing ? " dashboard-tile-editing" : ""}`}
      data-testid="tile"
      aria-label={title}
    >
      <header className="dashboard-tile-head">
        {editing ? (
          <span className="dashboard-tile-grip" aria-hidden="true" title="Drag to move">
            ⠿
          </span>
        ) : null}
        {isNote ? null : (
          <div className="dashboard-tile-title">
            <h2>{chart?.builder_url && !editing ? <a href={chart.builder_url}>{title}</a> : title}</h2>
            {chart ? (
              <span className="muted small">
                {chart.dataset_title}
                {chart.version_number !== null ? ` · version ${chart.version_number}` : ""}
              </span>
            ) : null}
          </div>
        )}
        {editing ? (
          <div className="row dashboard-tile-actions">
            {isNote && !showEditor ? (
              <button type="button" className="btn btn-small" onClick={() => setEditingNote(true)}>
                Edit note
              </button>
            ) : null}
            <button
              type="button"
              className="btn btn-small btn-danger"
              aria-label={`Remove ${title}`}
              onClick={onRemove}
            >
              Remove
            </button>
          </div>
        ) : null}
      </header>
      <div className="dashboard-tile-body">
        {isNote ? (
          showEditor ? (
            <div className="stack dashboard-note-editor">
              <label htmlFor={`${id}-note`} className="small">
                Note text
              </label>
              <textarea
                id={`${id}-note`}
                className="input dashboard-note-input"
                value={text}
                onChange={(event) => onTextChange(event.target.value)}
              />
              <div>
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={text.trim() === ""}
                  onClick={() => setEditingNote(false)}
                >
                  Done
                </button>
              </div>
            </div>
          ) : (
            <p className="dashboard-note">{text}</p>
          )
        ) : chart ? (
          <ChartTileBody chart={chart} dataUrl={dataUrl} activeFilters={activeFilters} refresh={refresh} />
        ) : (
          <p className="muted">This chart is no longer available.</p>
        )}
      </div>
    </section>
  );
}
