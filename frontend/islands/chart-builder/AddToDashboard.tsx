import { useEffect, useId, useState, type FormEvent } from "react";
import { apiPatch, apiPost, errorMessage } from "../../lib/api";
import { parseDashboard, type Dashboard } from "../../lib/contract";
import { dashboardsApiBase, fetchDashboards, tilesWithChart } from "./dashboards";

const NEW = "__new__";

interface Props {
  chartId: string;
  chartTitle: string;
  dashboardsUrl: string;
  workspace: string;
}

/** Put a saved chart on one of the workspace's dashboards, or on a new one. */
export function AddToDashboard({ chartId, chartTitle, dashboardsUrl, workspace }: Props) {
  const id = useId();
  const [dashboards, setDashboards] = useState<Dashboard[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [choice, setChoice] = useState(NEW);
  const [newTitle, setNewTitle] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<Dashboard | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    fetchDashboards(dashboardsUrl, controller.signal).then(
      (list) => {
        setDashboards(list);
        if (list[0]) setChoice(list[0].id);
      },
      (caught: unknown) => {
        if (!controller.signal.aborted) setLoadError(errorMessage(caught));
      },
    );
    return () => controller.abort();
  }, [dashboardsUrl]);

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setAdded(null);
    const base = dashboardsApiBase(dashboardsUrl);
    setBusy(true);
    try {
      let dashboard = dashboards?.find((d) => d.id === choice) ?? null;
      if (dashboard === null) {
        const title = newTitle.trim();
        if (title === "") {
          setError("Enter a title for the new dashboard.");
          return;
        }
        dashboard = parseDashboard(await apiPost<unknown>(base, { workspace, title }));
        const created = dashboard;
        setDashboards((list) => [...(list ?? []), created]);
        setChoice(created.id);
        setNewTitle("");
      }
      const updated = parseDashboard(
        await apiPatch<unknown>(`${base}${dashboard.id}/`, { tiles: tilesWithChart(dashboard.tiles, chartId) }),
      );
      setDashboards((list) => (list ?? []).map((d) => (d.id === updated.id ? updated : d)));
      setAdded(updated);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={add} aria-label="Add to dashboard">
      <div className="row island-form-row">
        <div className="field grow">
          <label htmlFor={`${id}-dashboard`}>Dashboard</label>
          <select
            id={`${id}-dashboard`}
            className="select"
            value={choice}
            disabled={dashboards === null && loadError === null}
            onChange={(event) => setChoice(event.target.value)}
          >
            {(dashboards ?? []).map((dashboard) => (
              <option key={dashboard.id} value={dashboard.id}>
                {dashboard.title}
              </option>
            ))}
            <option value={NEW}>New dashboard…</option>
          </select>
        </div>
        {choice === NEW ? (
          <div className="field grow">
            <label htmlFor={`${id}-new`}>New dashboard title</label>
            <input
              id={`${id}-new`}
              className="input"
              value={newTitle}
              maxLength={200}
              onChange={(event) => setNewTitle(event.target.value)}
            />
          </div>
        ) : null}
        <button type="submit" className="btn" disabled={busy}>
          Add to dashboard
        </button>
      </div>
      {loadError !== null ? <p className="muted small">Could not list the dashboards: {loadError}</p> : null}
      {error !== null ? (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      ) : null}
      {added !== null ? (
        <div className="alert alert-success" role="status">
          “{chartTitle}” is on <a href={added.page_url}>{added.title}</a>.
        </div>
      ) : null}
    </form>
  );
}
