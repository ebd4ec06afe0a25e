import { useCallback, useMemo, useState } from "react";
import { ChartView, type ChartHandle } from "../../components/chart/ChartView";
import { answerToCsv } from "../../components/chart/csv";
import { downloadText, downloadUrl, fileSlug } from "../../components/chart/download";
import type { Chart, ChartSpec } from "../../lib/contract";
import { ChartControls, OrderControls } from "./ChartControls";
import { FiltersEditor } from "./FiltersEditor";
import { MeasuresEditor } from "./MeasuresEditor";
import type { ChartBuilderProps } from "./props";
import { SaveChartPanel, chartUrl } from "./SaveChartPanel";
import { buildSpec, defaultState, stateFromChart, suggestTitle, versionQueryUrl, type BuilderState } from "./state";
import { usePreview } from "./usePreview";

function specKey(spec: ChartSpec | null, version: number | null): string {
  return JSON.stringify([spec, version]);
}

/** The key of a saved chart as the builder would write it, to tell whether the settings changed since. */
function savedChartKey(chart: Chart, columns: ChartBuilderProps["columns"]): string {
  return specKey(buildSpec(stateFromChart(chart, columns), columns), chart.version_number);
}

export function ChartBuilder(props: ChartBuilderProps) {
  const { columns } = props;
  const [state, setState] = useState<BuilderState>(() =>
    props.chart ? stateFromChart(props.chart, columns) : defaultState(columns),
  );
  const [title, setTitle] = useState(props.chart?.title ?? "");
  const [version, setVersion] = useState<number | null>(props.chart?.version_number ?? null);
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

  // While a new answer is on its way, the last one stays drawn with the spec that asked for it.
  const drawn = preview.data !== null && preview.dataSpec !== null ? { spec: preview.dataSpec, data: preview.data } : null;

  const onChartReady = useCallback((handle: ChartHandle | null) => setChartHandle(handle), []);

  function handleSaved(chart: Chart) {
    setSaved(chart);
    setTitle(chart.title);
    setSavedKey(savedChartKey(chart, columns));
    const explore = `${window.location.pathname}?chart=${encodeURIComponent(chart.id)}`;
    window.history.replaceState(window.history.state, "", explore);
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

  return (
    <div className="chart-builder">
      <form className="card stack chart-builder-controls" aria-label="Chart settings" onSubmit={(e) => e.preventDefault()}>
        <ChartControls state={state} columns={columns} onChange={setState} />
        <MeasuresEditor measures={state.measures} columns={columns} onChange={(measures) => setState({ ...state, measures })} />
        <FiltersEditor filters={state.filters} columns={columns} onChange={(filters) => setState({ ...state, filters })} />
        <OrderControls state={state} columns={columns} onChange={setState} />
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
              disabled={!drawsImage || chartHandle === null || drawn === null}
              onClick={downloadPng}
            >
              Download PNG
            </button>
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
            version={version}
            saved={saved}
            dirty={dirty}
            onTitleChange={setTitle}
            onVersionChange={setVersion}
            onSaved={handleSaved}
          />
        ) : (
          <p className="muted small">You can explore this dataset; saving charts needs an editor role in its workspace.</p>
        )}
      </div>
    </div>
  );
}
