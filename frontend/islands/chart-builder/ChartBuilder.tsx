import { useCallback, useEffect, useMemo, useState } from "react";
import { chartCategories } from "../../components/chart/buildOption";
import { ChartView, type ChartHandle } from "../../components/chart/ChartView";
import { answerToCsv } from "../../components/chart/csv";
import { downloadText, downloadUrl, fileSlug } from "../../components/chart/download";
import type { Chart, ChartSpec } from "../../lib/contract";
import { ChartControls, OrderControls } from "./ChartControls";
import { FiltersEditor } from "./FiltersEditor";
import { MeasuresEditor } from "./MeasuresEditor";
import type { ChartBuilderProps } from "./props";
import { SaveChartPanel, chartUrl } from "./SaveChartPanel";
import {
  buildSpec,
  defaultState,
  isRawScatter,
  stateFromChart,
  suggestTitle,
  versionQueryUrl,
  type BuilderState,
} from "./state";
import { usePreview } from "./usePreview";
import { builderSearch, readBuilderState } from "./urlState";

function specKey(spec: ChartSpec | null, version: number | null): string {
  return JSON.stringify([spec, version]);
}

/** The key of a saved chart as the builder would write it, to tell whether the settings changed since. */
function savedChartKey(chart: Chart, columns: ChartBuilderProps["columns"]): string {
  return specKey(buildSpec(stateFromChart(chart, columns), columns), chart.version_number);
}

export function ChartBuilder(props: ChartBuilderProps) {
  const { columns } = props;
  // A shared or reloaded link carries the builder's state; it wins over the saved chart it started from.
  const [fromUrl] = useState(() => readBuilderState(window.location.search));
  const [state, setState] = useState<BuilderState>(() => {
    if (fromUrl !== null) return stateFromChart(fromUrl.spec, columns);
    return props.chart ? stateFromChart(props.chart, columns) : defaultState(columns);
  });
  const [title, setTitle] = useState(fromUrl?.title ?? props.chart?.title ?? "");
  const [version, setVersion] = useState<number | null>(
    fromUrl !== null ? fromUrl.version : (props.chart?.version_number ?? null),
  );
  const [saved, setSaved] = useState<Chart | null>(props.chart);
  const [savedKey, setSavedKey] = useState<string | null>(() =>
    props.chart ? savedChartKey(props.chart, columns) : null,
  );
  const [chartHandle, setChartHandle] = useState<ChartHandle | null>(null);

  const spec = useMemo(() => buildSpec(state, columns), [state, columns]);
  const url = versionQueryUrl(props.queryUrl, version);
  const preview = usePreview(url, spec);
  const suggestedTitle = suggestTitle(state, columns);
  const dirty = savedKey !== specKey(spec, version);
  const changed = saved === null || dirty || title !== saved.title;

  useEffect(() => {
    const kept = spec !== null && changed ? { spec, title, version } : null;
    const search = builderSearch(window.location.search, saved?.id ?? null, kept);
    if (search !== window.location.search) {
      window.history.replaceState(window.history.state, "", `${window.location.pathname}${search}`);
    }
  }, [spec, title, version, saved, changed]);

  // While a new answer is on its way, the last one stays drawn with the spec that asked for it.
  const answered =
    preview.data !== null && preview.dataSpec !== null ? { spec: preview.dataSpec, data: preview.data } : null;
  // Coloured as it will be once saved: each category by its place among the answer's categories (saved
  // only from an answer to the spec being saved, never from the last chart's while a new one loads).
  const categories = useMemo(
    () => (answered === null ? [] : chartCategories(answered.spec, answered.data)),
    [answered?.data],
  ); // eslint-disable-line react-hooks/exhaustive-deps
  const drawn =
    answered === null
      ? null
      : { ...answered, spec: { ...answered.spec, options: { ...answered.spec.options, categories } } };

  const onChartReady = useCallback((handle: ChartHandle | null) => setChartHandle(handle), []);

  function handleSaved(chart: Chart) {
    setSaved(chart);
    setTitle(chart.title);
    setSavedKey(savedChartKey(chart, columns));
  }

  /** Start over: the chart proposed for this dataset, nothing saved yet. */
  function newChart() {
    setState(defaultState(columns));
    setTitle("");
    setVersion(null);
    setSaved(null);
    setSavedKey(null);
  }

  const name = fileSlug(title.trim() || suggestedTitle);
  function downloadCsv() {
    if (saved !== null && !dirty) downloadUrl(`${chartUrl(props.chartsUrl, saved.id)}data/?format=csv`, `${name}.csv`);
    else if (preview.data !== null) downloadText(answerToCsv(preview.data), `${name}.csv`, "text/csv;charset=utf-8");
  }

  function downloadPng() {
    if (chartHandle !== null) downloadUrl(chartHandle.toDataURL(), `${name}.png`);
  }

  const drawsImage = state.chartType !== "kpi" && state.chartType !== "table";
  let pngUnavailable: string | null = null;
  if (!drawsImage) pngUnavailable = "A KPI or a table has no picture: download its CSV.";
  else if (chartHandle === null || drawn === null)
    pngUnavailable = "The picture can be downloaded once the chart is drawn.";
  // A raw scatter stops at its limit: say so, rather than let the cut look like the data.
  const limit = spec?.query.limit;
  const sampled =
    isRawScatter(state) && drawn !== null && typeof limit === "number" && drawn.data.rows.length >= limit
      ? limit
      : null;

  return (
    <div className="chart-builder">
      <form
        className="card stack chart-builder-controls"
        aria-label="Chart settings"
        onSubmit={(e) => e.preventDefault()}
      >
        <ChartControls state={state} columns={columns} onChange={setState} />
        {isRawScatter(state) ? null : (
          <MeasuresEditor
            measures={state.measures}
            columns={columns}
            onChange={(measures) => setState({ ...state, measures })}
          />
        )}
        <FiltersEditor
          filters={state.filters}
          columns={columns}
          onChange={(filters) => setState({ ...state, filters })}
        />
        <fieldset className="island-fieldset stack chart-builder-group">
          <legend>Order</legend>
          <OrderControls state={state} columns={columns} onChange={setState} />
        </fieldset>
      </form>

      <div className="stack chart-builder-main">
        <section className="card stack" aria-label="Preview">
          <div className="row spread">
            <h2>{title.trim() || suggestedTitle}</h2>
            <span className="muted small" role="status">
              {preview.loading ? "Loading…" : ""}
            </span>
          </div>
          {preview.error !== null ? (
            <div className="alert alert-error" role="alert">
              {preview.error}
            </div>
          ) : null}
          <div
            className={`chart-builder-preview${preview.loading && drawn !== null ? " chart-builder-stale" : ""}`}
            data-testid="chart-preview"
            aria-busy={preview.loading}
          >
            {spec === null ? (
              <p className="muted">Choose an x axis or add a measure to see a chart.</p>
            ) : drawn !== null ? (
              <ChartView
                spec={drawn.spec}
                data={drawn.data}
                height={420}
                label={title.trim() || suggestedTitle}
                onChartReady={onChartReady}
              />
            ) : preview.error === null ? (
              <p className="muted">Loading the preview…</p>
            ) : null}
          </div>
          {sampled !== null ? (
            <p className="alert alert-info small" role="note" data-testid="sampled-note">
              Showing the first {sampled.toLocaleString("en-US")} distinct points only: the data has more. Add filters
              to see the rest.
            </p>
          ) : null}
          <div className="row">
            <button
              type="button"
              className="btn btn-small"
              disabled={!(saved !== null && !dirty) && preview.data === null}
              onClick={downloadCsv}
            >
              Download CSV
            </button>
            <button
              type="button"
              className="btn btn-small"
              disabled={pngUnavailable !== null}
              aria-describedby={pngUnavailable !== null ? "chart-builder-png-why" : undefined}
              title={pngUnavailable ?? undefined}
              onClick={downloadPng}
            >
              Download PNG
            </button>
            {pngUnavailable !== null ? (
              <span className="muted small" id="chart-builder-png-why">
                {pngUnavailable}
              </span>
            ) : null}
          </div>
        </section>

        {props.canSave ? (
          <SaveChartPanel
            spec={spec}
            datasetId={props.dataset.id}
            chartsUrl={props.chartsUrl}
            dashboardsUrl={props.dashboardsUrl}
            workspace={props.workspace}
            versions={props.versions}
            title={title}
            suggestedTitle={suggestedTitle}
            categories={answered !== null && preview.dataSpec === spec ? categories : []}
            onNewChart={newChart}
            version={version}
            saved={saved}
            dirty={dirty}
            onTitleChange={setTitle}
            onVersionChange={setVersion}
            onSaved={handleSaved}
          />
        ) : (
          <p className="muted small">
            You can explore this dataset; saving charts needs an editor role in its workspace.
          </p>
        )}
      </div>
    </div>
  );
}
