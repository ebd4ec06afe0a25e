// The SQL editor island: write a statement, run it now (Ctrl/Cmd-Enter) or as a job, read the rows, save the
// query in the workspace and turn a saved query into a derived dataset.
import { useCallback, useState } from "react";
import { ApiError, apiDelete, apiPatch, apiPost, errorMessage } from "../../lib/api";
import { JobStatus } from "../../components/JobStatus";
import { ProgressBar } from "../../components/ProgressBar";
import { isFinished, jobIdOf } from "../../lib/contract";
import { useJob } from "../../lib/useJob";
import { CodeEditor, type EditorError } from "./CodeEditor";
import type { SqlEditorProps, SqlTable } from "./props";
import { ResultGrid } from "./ResultGrid";
import { type ErrorPosition, type Span, errorRange } from "./statement";

interface SyncAnswer {
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
  truncated: boolean;
  elapsed_ms: number;
  inputs: { dataset: string; version: number }[];
}

interface DatasetBrief {
  id: string;
  title: string;
  page_url: string;
}

type Outcome = { kind: "rows"; answer: SyncAnswer } | { kind: "job"; jobId: string } | null;

const SYNC_LIMIT = 1000;

function inputsText(inputs: SyncAnswer["inputs"], tables: SqlTable[]): string {
  return inputs
    .map((input) => {
      const table = tables.find((t) => t.id === input.dataset);
      return `${table ? table.title : "a dataset"} v${input.version}`;
    })
    .join(", ");
}

export function SqlEditor(props: SqlEditorProps) {
  const { tables, canSave, query } = props;
  const [doc, setDoc] = useState(props.initialSql);
  const [savedSql, setSavedSql] = useState(props.initialSql);
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [failure, setFailure] = useState<{ message: string; code: string; where: string } | null>(null);
  const [editorError, setEditorError] = useState<EditorError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [materializeJob, setMaterializeJob] = useState<{ jobId: string; dataset: DatasetBrief } | null>(null);
  const [title, setTitle] = useState("");

  const run = useCallback(
    async (span: Span, text: string, asJob: boolean) => {
      const statement = text.slice(span.from, span.to);
      if (!statement.trim()) return;
      setRunning(true);
      setFailure(null);
      setEditorError(null);
      setNotice(null);
      try {
        const body = { sql: statement, workspace: props.workspace, limit: SYNC_LIMIT, async: asJob };
        if (asJob) {
          setOutcome({ kind: "job", jobId: jobIdOf(await apiPost<unknown>(props.sqlUrl, body)) });
        } else {
          setOutcome({ kind: "rows", answer: await apiPost<SyncAnswer>(props.sqlUrl, body) });
        }
      } catch (error) {
        setOutcome(null);
        const details = (
          error instanceof ApiError && typeof error.details === "object" ? error.details : {}
        ) as ErrorPosition;
        const code = error instanceof ApiError ? error.code : "error";
        const where = details?.line ? `Line ${details.line}, column ${details.column ?? 1}` : "";
        setFailure({ message: errorMessage(error), code, where });
        const range = details ? errorRange(statement, span.from, details, text.length) : null;
        if (range) setEditorError({ range, message: errorMessage(error) });
      } finally {
        setRunning(false);
      }
    },
    [props.sqlUrl, props.jobsUrl, props.workspace],
  );

  const runAll = (asJob: boolean) => run({ from: 0, to: doc.length }, doc, asJob);

  const saveChanges = async (): Promise<boolean> => {
    if (!query) return false;
    try {
      await apiPatch(query.detailUrl, { sql: doc });
      setSavedSql(doc);
      setNotice(`Saved “${query.title}”.`);
      return true;
    } catch (error) {
      setNotice(null);
      setFailure({ message: errorMessage(error), code: "save", where: "" });
      return false;
    }
  };

  const saveAsNew = async (event: React.FormEvent) => {
    event.preventDefault();
    try {
      const created = await apiPost<{ id: string; url: string }>(props.queriesUrl, {
        workspace: props.workspace,
        title: title.trim(),
        sql: doc,
      });
      window.location.assign(created.url);
    } catch (error) {
      setFailure({ message: errorMessage(error), code: "save", where: "" });
    }
  };

  const materialize = async () => {
    if (!query) return;
    if (doc !== savedSql && !(await saveChanges())) return;
    try {
      const answer = await apiPost<{ dataset: DatasetBrief }>(query.materializeUrl);
      setMaterializeJob({ jobId: jobIdOf(answer), dataset: answer.dataset });
    } catch (error) {
      setFailure({ message: errorMessage(error), code: "materialize", where: "" });
    }
  };

  return (
    <div className="stack sql-editor">
      <div className="card stack">
        <CodeEditor
          initialDoc={props.initialSql}
          tables={tables}
          error={editorError}
          onChange={setDoc}
          onRun={(span, text) => void run(span, text, false)}
        />
        <div className="row spread">
          <div className="row">
            <button type="button" className="btn btn-primary" disabled={running} onClick={() => void runAll(false)}>
              {running ? "Running…" : "Run"}
            </button>
            <button type="button" className="btn" disabled={running} onClick={() => void runAll(true)}>
              Run as a job
            </button>
            <span className="muted small">Ctrl/⌘ + Enter runs the statement under the cursor, or the selection.</span>
          </div>
          {canSave && query && (
            <div className="row">
              <button type="button" className="btn" disabled={doc === savedSql} onClick={() => void saveChanges()}>
                Save
              </button>
              <button type="button" className="btn" onClick={() => void materialize()}>
                Save as dataset
              </button>
            </div>
          )}
        </div>
        {canSave && (
          <form className="row sql-save-form" onSubmit={(event) => void saveAsNew(event)}>
            <label htmlFor="sql-query-title" className="muted small">
              {query ? "Save a copy as" : "Save as a query"}
            </label>
            <input
              id="sql-query-title"
              value={title}
              placeholder="Title"
              onChange={(event) => setTitle(event.target.value)}
            />
            <button type="submit" className="btn btn-small" disabled={!title.trim() || !doc.trim()}>
              Save query
            </button>
          </form>
        )}
        {!canSave && <p className="muted small">Saving queries needs the editor role in this workspace.</p>}
        {notice && (
          <p className="alert alert-success" role="status">
            {notice}
          </p>
        )}
        {failure && (
          <div className="alert alert-error" role="alert">
            <strong>{failure.code}</strong>: {failure.message}
            {failure.where && !failure.message.includes("line") ? ` (${failure.where})` : ""}
          </div>
        )}
      </div>

      {materializeJob && <MaterializeProgress {...materializeJob} jobsUrl={props.jobsUrl} />}

      {outcome?.kind === "rows" && (
        <section className="card stack" aria-label="Results">
          <p className="muted small">
            {outcome.answer.rows.length.toLocaleString()} row{outcome.answer.rows.length === 1 ? "" : "s"}
            {outcome.answer.truncated
              ? ` (more matched: the first ${SYNC_LIMIT.toLocaleString()} are shown; run it as a job for all)`
              : ""}{" "}
            in {outcome.answer.elapsed_ms} ms
            {outcome.answer.inputs.length > 0 ? ` · read ${inputsText(outcome.answer.inputs, tables)}` : ""}
          </p>
          <ResultGrid columns={outcome.answer.columns} rows={outcome.answer.rows} total={outcome.answer.rows.length} />
        </section>
      )}
      {outcome?.kind === "job" && (
        <JobResult key={outcome.jobId} jobUrl={`${props.jobsUrl}${outcome.jobId}/`} jobId={outcome.jobId} />
      )}
    </div>
  );
}

function JobResult({ jobId, jobUrl }: { jobId: string; jobUrl: string }) {
  const { job, fatalError } = useJob(jobId, { url: jobUrl, pollMs: 500 });
  const [cancelError, setCancelError] = useState<string | null>(null);
  const rowsUrl = job?.status === "succeeded" ? String(job.result?.rows_url ?? "") : "";

  if (fatalError) return <p className="alert alert-error">{fatalError}</p>;
  if (!job) return <p className="muted">Starting…</p>;
  const cancel = async () => {
    try {
      await apiDelete(jobUrl);
    } catch (error) {
      setCancelError(errorMessage(error));
    }
  };
  return (
    <section className="card stack" aria-label="Job">
      {!isFinished(job) && (
        <>
          <ProgressBar value={job.status === "running" ? job.progress : null} label="Query progress" />
          <div className="row">
            <span className="muted small">
              {job.stage}
              {job.message ? ` · ${job.message}` : ""}
            </span>
            <button type="button" className="btn btn-small btn-danger" onClick={() => void cancel()}>
              Cancel
            </button>
          </div>
        </>
      )}
      {cancelError && <p className="alert alert-error">{cancelError}</p>}
      {job.status === "failed" && (
        <p className="alert alert-error" role="alert">
          {job.error}
        </p>
      )}
      {job.status === "succeeded" && rowsUrl && (
        <>
          <div className="row spread">
            <p className="muted small">{Number(job.result?.row_count ?? 0).toLocaleString()} rows, kept for a day.</p>
            <div className="row">
              <span className="muted small">Download:</span>
              {["csv", "json", "ndjson", "parquet"].map((format) => (
                <a
                  key={format}
                  className="btn btn-small"
                  href={`${rowsUrl.replace(/rows\/$/, "export/")}?format=${format}`}
                  download
                >
                  {format.toUpperCase()}
                </a>
              ))}
            </div>
          </div>
          <ResultGrid columns={job.result?.columns} rows={rowsUrl} total={Number(job.result?.row_count ?? 0)} />
        </>
      )}
    </section>
  );
}

function MaterializeProgress({ jobId, jobsUrl, dataset }: { jobId: string; jobsUrl: string; dataset: DatasetBrief }) {
  return (
    <section className="card stack" aria-label="Derived dataset">
      <h2 className="h3">Dataset “{dataset.title}”</h2>
      <JobStatus
        jobId={jobId}
        url={`${jobsUrl}${jobId}/`}
        pollMs={500}
        label="Building the dataset"
        headline={(job) => (
          <p className="muted">{job?.status === "succeeded" ? "" : job?.stage || "Waiting for a worker"}</p>
        )}
        fatalText={(message) => `The job could not be followed: ${message}`}
        successText={
          <span className="row">
            <span>Ready. It is rebuilt whenever one of its inputs gets a new version.</span>
            <a className="btn btn-small" href={dataset.page_url}>
              Open the dataset
            </a>
            <a className="btn btn-small btn-primary" href={`${dataset.page_url}explore/`}>
              Chart it
            </a>
          </span>
        }
      />
    </section>
  );
}
