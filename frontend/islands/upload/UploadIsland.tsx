import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { otherFieldErrors } from "../../components/Field";
import { apiPost, fieldErrorsOf, type FieldErrors } from "../../lib/api";
import { jobIdOf } from "../../lib/contract";
import { createdDatasetOf, versionsUrlOf, type CreatedDataset } from "./answers";
import { DatasetFields, type DatasetDetails } from "./DatasetFields";
import { requestErrorMessage } from "./errors";
import { FileDropZone } from "./FileDropZone";
import { refusalOf } from "./files";
import { IngestProgress } from "./IngestProgress";
import type { UploadProps, Workspace } from "./props";
import { sendUpload, type TransferProgress as Progress } from "./transfer";
import { TransferProgress } from "./TransferProgress";
import { UrlImportForm } from "./UrlImportForm";

type Phase =
  | { kind: "idle" }
  | { kind: "transfer"; file: File; progress: Progress }
  | { kind: "starting-import" }
  | { kind: "processing"; jobId: string; openUrl: string | null };

interface Problem {
  message: string;
  hint: string | null;
}

type Props = UploadProps & {
  /** How to open the dataset once ingested; tests replace it, the page uses a real navigation. */
  navigate?: (url: string) => void;
  pollMs?: number;
};

function goTo(url: string) {
  window.location.assign(url);
}

function initialWorkspace(workspaces: Workspace[], defaultWorkspace: string | null): string {
  if (defaultWorkspace !== null && workspaces.some((workspace) => workspace.slug === defaultWorkspace)) {
    return defaultWorkspace;
  }
  // With several workspaces and no default, the user chooses: a wrong guess would publish to the wrong team.
  return workspaces.length === 1 ? (workspaces[0]?.slug ?? "") : "";
}

function urlProblem(url: string): string | null {
  const trimmed = url.trim();
  if (trimmed === "") return "Enter the URL of a file.";
  try {
    const { protocol } = new URL(trimmed);
    if (protocol === "http:" || protocol === "https:") return null;
  } catch {
    // not a URL at all: the same advice
  }
  return "Enter a full http:// or https:// URL.";
}

function withoutField(errors: FieldErrors, field: string): FieldErrors {
  const rest = { ...errors };
  delete rest[field];
  return rest;
}

/** The upload page's form: a file (or a URL) becomes a new dataset, or a new version of one. */
export function UploadIsland(props: Props) {
  const { mode, maxBytes, workspaces, navigate = goTo, pollMs = 1000 } = props;
  const [file, setFile] = useState<File | null>(null);
  const [details, setDetails] = useState<DatasetDetails>(() => ({
    title: "",
    description: "",
    workspace: initialWorkspace(props.workspaces, props.defaultWorkspace),
    visibility: "private",
  }));
  const [url, setUrl] = useState("");
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  // Mode new: the dataset an earlier attempt created. Retries add a version to it instead of a second dataset.
  const [created, setCreated] = useState<CreatedDataset | null>(null);
  const transfer = useRef<AbortController | null>(null);

  useEffect(() => () => transfer.current?.abort(), []);

  const ingestFailed = useCallback(
    (error: string) => {
      setPhase({ kind: "idle" });
      setFile(null);
      setProblem({
        message: error,
        hint: `${mode === "version" ? "The previous version is still current. " : ""}Choose another file or URL and try again.`,
      });
    },
    [mode],
  );

  const busy = phase.kind !== "idle";
  const askDetails = mode === "new" && created === null;

  function chooseFiles(files: File[]) {
    setProblem(null);
    setFieldErrors((current) => withoutField(current, "file"));
    if (files.length > 1) {
      setProblem({ message: "Drop one file at a time.", hint: null });
      return;
    }
    const chosen = files[0];
    if (chosen === undefined) return;
    const refusal = refusalOf(chosen, maxBytes);
    if (refusal !== null) {
      setFile(null);
      setProblem({ message: refusal, hint: null });
      return;
    }
    setFile(chosen);
  }

  // The title may stay empty: the server then names the dataset after the file or URL (one rule, `title_from_source`).
  function detailErrors(): FieldErrors {
    return askDetails && details.workspace === "" ? { workspace: ["Choose a workspace."] } : {};
  }

  /** Where a file or URL goes: a new dataset with its details, or a new version (of the one a failed try made). */
  function target(): { url: string; details: boolean } {
    if (props.mode === "version") return { url: props.uploadUrl, details: false };
    if (created !== null) return { url: versionsUrlOf(props.datasetsUrl, created.id), details: false };
    return { url: props.uploadUrl, details: true };
  }

  /** A 202 answer: remember the dataset it created, and follow its job. */
  function follow(answer: unknown, newDataset: boolean) {
    let openUrl = props.mode === "version" ? props.datasetUrl : (created?.pageUrl ?? null);
    if (newDataset) {
      const dataset = createdDatasetOf(answer);
      setCreated(dataset);
      openUrl = dataset.pageUrl;
    }
    setPhase({ kind: "processing", jobId: jobIdOf(answer), openUrl });
  }

  function detailsForm(): FormData {
    const form = new FormData();
    form.append("workspace", details.workspace);
    const title = details.title.trim();
    if (title !== "") form.append("title", title);
    form.append("description", details.description);
    form.append("visibility", details.visibility);
    return form;
  }

  function showRequestError(error: unknown) {
    setPhase({ kind: "idle" });
    setProblem({ message: requestErrorMessage(error), hint: null });
    setFieldErrors(fieldErrorsOf(error));
  }

  async function upload(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const errors = detailErrors();
    if (file === null) errors.file = ["Choose a file to upload."];
    setProblem(null);
    setFieldErrors(errors);
    if (file === null || Object.keys(errors).length > 0) return;

    const to = target();
    const form = to.details ? detailsForm() : new FormData();
    // The file goes last, so the server has the small fields before the large one.
    form.append("file", file, file.name);

    const controller = new AbortController();
    transfer.current = controller;
    setPhase({ kind: "transfer", file, progress: { loaded: 0, total: null } });
    try {
      const answer = await sendUpload<unknown>(to.url, form, {
        signal: controller.signal,
        onProgress: (progress) =>
          setPhase((current) => (current.kind === "transfer" ? { ...current, progress } : current)),
      });
      follow(answer, to.details);
    } catch (error) {
      showRequestError(error);
    } finally {
      transfer.current = null;
    }
  }

  async function importFromUrl(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const errors = detailErrors();
    const urlError = urlProblem(url);
    if (urlError !== null) errors.url = [urlError];
    setProblem(null);
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return;

    setPhase({ kind: "starting-import" });
    const to = target();
    let body: FormData | { url: string } = { url: url.trim() };
    if (to.details) {
      // One request for a new dataset too: the upload endpoint takes a URL in place of the file.
      body = detailsForm();
      body.append("url", url.trim());
    }
    try {
      follow(await apiPost<unknown>(to.url, body), to.details);
    } catch (error) {
      showRequestError(error);
    }
  }

  if (mode === "new" && workspaces.length === 0) {
    return (
      <div className="alert alert-info">
        <p>You need to be an owner or editor of a workspace to upload a dataset.</p>
      </div>
    );
  }

  // Server errors about fields the form shows go beside them; any others join the alert.
  const shownFields = new Set(["file", "url"]);
  if (askDetails) {
    for (const field of ["title", "description", "visibility"]) shownFields.add(field);
    if (workspaces.length > 1) shownFields.add("workspace");
  }
  const otherErrors = otherFieldErrors(fieldErrors, shownFields);

  return (
    <div className="stack island-upload">
      <form
        className="card stack"
        aria-label={mode === "new" ? "Upload a dataset" : "Upload a new version"}
        noValidate
        onSubmit={upload}
      >
        <fieldset className="island-fieldset stack" disabled={busy}>
          <FileDropZone
            file={file}
            maxBytes={maxBytes}
            disabled={busy}
            errors={fieldErrors.file}
            onFiles={chooseFiles}
          />
          {askDetails ? (
            <DatasetFields
              details={details}
              fileName={file?.name ?? null}
              workspaces={workspaces}
              errors={fieldErrors}
              onChange={(change) => setDetails((current) => ({ ...current, ...change }))}
            />
          ) : null}
          <div className="row">
            <button type="submit" className="btn btn-primary">
              {mode === "new" ? "Upload" : "Upload new version"}
            </button>
          </div>
        </fieldset>
      </form>

      {problem !== null || otherErrors.length > 0 ? (
        <div className="alert alert-error" role="alert">
          {problem !== null ? <p>{problem.message}</p> : null}
          {otherErrors.length > 0 ? <p>{otherErrors.join(" ")}</p> : null}
          {problem?.hint ? <p>{problem.hint}</p> : null}
        </div>
      ) : null}
      {created !== null && !busy ? (
        <div className="alert alert-info">
          <p>
            The dataset {created.pageUrl ? <a href={created.pageUrl}>“{created.title}”</a> : <>“{created.title}”</>} has
            been created: the file or URL you send next is added to it.
          </p>
        </div>
      ) : null}
      {phase.kind === "transfer" ? (
        <TransferProgress file={phase.file} progress={phase.progress} onCancel={() => transfer.current?.abort()} />
      ) : null}
      {phase.kind === "starting-import" ? (
        <div className="card stack island-upload-progress">
          <p className="island-upload-status" data-testid="upload-status">
            Starting the import…
          </p>
        </div>
      ) : null}
      {phase.kind === "processing" ? (
        <IngestProgress
          key={phase.jobId}
          jobId={phase.jobId}
          openUrl={phase.openUrl}
          pollMs={pollMs}
          navigate={navigate}
          onFailed={ingestFailed}
        />
      ) : null}

      <UrlImportForm
        mode={mode}
        url={url}
        disabled={busy}
        errors={fieldErrors.url}
        onUrlChange={setUrl}
        onSubmit={importFromUrl}
      />
    </div>
  );
}
