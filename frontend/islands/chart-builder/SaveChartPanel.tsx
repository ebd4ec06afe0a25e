import { useId, useState, type FormEvent } from "react";
import { parseChart, type Chart, type ChartSpec } from "../../lib/contract";
import { ApiError, apiPatch, apiPost, errorMessage } from "../../lib/api";
import { AddToDashboard } from "./AddToDashboard";

/** The error text of a refused save, with the server's field details ("query: ...") when it sends them. */
function saveErrorText(error: unknown): string {
  const message = errorMessage(error);
  if (!(error instanceof ApiError) || typeof error.details !== "object" || error.details === null) return message;
  const details = Object.entries(error.details as Record<string, unknown>).flatMap(([field, value]) =>
    (Array.isArray(value) ? value : [value])
      .filter((item): item is string => typeof item === "string")
      .map((item) => (field === "non_field_errors" ? item : `${field}: ${item}`)),
  );
  return [message, ...details].join(" ");
}

export function chartUrl(chartsUrl: string, id: string): string {
  return `${chartsUrl.endsWith("/") ? chartsUrl : `${chartsUrl}/`}${id}/`;
}

interface Props {
  spec: ChartSpec | null;
  datasetId: string;
  chartsUrl: string;
  dashboardsUrl: string;
  workspace: string;
  versions: number[];
  title: string;
  suggestedTitle: string;
  /** The categories of the preview, saved so each keeps its colour under dashboard filters. */
  categories: string[];
  version: number | null;
  saved: Chart | null;
  /** The spec differs from the saved chart's. */
  dirty: boolean;
  onTitleChange: (title: string) => void;
  onVersionChange: (version: number | null) => void;
  onSaved: (chart: Chart) => void;
  onNewChart: () => void;
}

/** Title, pinned version and Save (POST a new chart, PATCH a saved one), "Save as new" (POST a copy with
 * these settings) and "New chart"; then "Add to dashboard". */
export function SaveChartPanel(props: Props) {
  const { spec, saved, title, version } = props;
  const id = useId();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [justSaved, setJustSaved] = useState(false);

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const asNew = (event.nativeEvent as SubmitEvent).submitter?.getAttribute("value") === "new";
    if (spec === null) return;
    setError(null);
    setJustSaved(false);
    setSaving(true);
    let chartTitle = title.trim() || props.suggestedTitle;
    if (asNew && saved !== null && chartTitle === saved.title) chartTitle = `${chartTitle} (copy)`;
    const options = props.categories.length > 0 ? { ...spec.options, categories: props.categories } : spec.options;
    const body = {
      title: chartTitle,
      chart_type: spec.chart_type,
      query: spec.query,
      options,
      version_number: version,
    };
    try {
      const answer =
        saved === null || asNew
          ? await apiPost<unknown>(props.chartsUrl, { dataset: props.datasetId, ...body })
          : await apiPatch<unknown>(chartUrl(props.chartsUrl, saved.id), body);
      props.onSaved(parseChart(answer));
      setJustSaved(true);
    } catch (caught) {
      setError(saveErrorText(caught));
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="card stack" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{saved === null ? "Save this chart" : "Saved chart"}</h2>
      <form className="stack" onSubmit={save} aria-label="Save chart">
        <div className="row island-form-row">
          <div className="field grow">
            <label htmlFor={`${id}-title`}>Title</label>
            <input
              id={`${id}-title`}
              className="input"
              value={title}
              maxLength={200}
              placeholder={props.suggestedTitle}
              onChange={(event) => props.onTitleChange(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-version`}>Pinned to</label>
            <select
              id={`${id}-version`}
              className="select"
              value={version === null ? "" : String(version)}
              onChange={(event) => props.onVersionChange(event.target.value === "" ? null : Number(event.target.value))}
            >
              <option value="">Latest version</option>
              {props.versions.map((number) => (
                <option key={number} value={number}>
                  Version {number}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="btn btn-primary" disabled={saving || spec === null}>
            Save chart
          </button>
          {saved !== null ? (
            <button type="submit" name="save" value="new" className="btn" disabled={saving || spec === null}>
              Save as new
            </button>
          ) : null}
          <button type="button" className="btn" onClick={props.onNewChart} disabled={saving}>
            New chart
          </button>
        </div>
        {saved !== null && props.dirty && !saving ? <p className="muted small">You have unsaved changes.</p> : null}
        {error !== null ? (
          <div className="alert alert-error" role="alert">
            Could not save the chart: {error}
          </div>
        ) : null}
        {justSaved && saved !== null ? (
          <div className="alert alert-success" role="status">
            Saved “{saved.title}”.
          </div>
        ) : null}
      </form>
      {saved !== null ? (
        <AddToDashboard
          chartId={saved.id}
          chartTitle={saved.title}
          dashboardsUrl={props.dashboardsUrl}
          workspace={props.workspace}
        />
      ) : null}
    </section>
  );
}
