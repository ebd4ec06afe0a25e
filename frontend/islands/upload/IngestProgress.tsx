import { useEffect } from "react";
import { ProgressBar } from "../../components/ProgressBar";
import { useJob, type Job } from "../../lib/useJob";

interface Props {
  jobUrl: string;
  /** The page to open when the ingest succeeds. */
  openUrl: string | null;
  pollMs: number;
  navigate: (url: string) => void;
  onFailed: (error: string) => void;
}

function statusText(job: Job | null, openUrl: string | null): string {
  if (job === null) return "Waiting for the processing to start…";
  switch (job.status) {
    case "queued":
      return "Queued: waiting for a worker…";
    case "running":
      return `Processing… ${Math.round(job.progress * 100)}%${job.stage ? ` · ${job.stage}` : ""}`;
    case "succeeded":
      return openUrl ? "Done. Opening the dataset…" : "Done.";
    case "failed":
      return "Processing failed.";
  }
}

/** Follows the ingest job the upload started; hands a failure back so the user can try another file. */
export function IngestProgress({ jobUrl, openUrl, pollMs, navigate, onFailed }: Props) {
  const { job, reconnecting, fatalError } = useJob(jobUrl, pollMs);
  const status = job?.status;
  const jobError = job?.error;

  useEffect(() => {
    if (status === "succeeded" && openUrl) navigate(openUrl);
  }, [status, openUrl, navigate]);

  useEffect(() => {
    if (status === "failed") onFailed(jobError || "Processing failed.");
  }, [status, jobError, onFailed]);

  const progress = job === null ? null : status === "succeeded" ? 1 : job.progress;
  return (
    <div className="card stack island-upload-progress">
      <p className="island-upload-status" data-testid="upload-status">{statusText(job, openUrl)}</p>
      <ProgressBar value={progress} label="Processing progress" />
      {job?.message ? <p className="muted">{job.message}</p> : null}
      {reconnecting ? (
        <p className="muted" role="status">
          Reconnecting…
        </p>
      ) : null}
      {fatalError !== null ? (
        <div className="alert alert-error" role="alert">
          <p>Could not follow the processing: {fatalError}</p>
          {openUrl ? (
            <p>
              <a href={openUrl}>Open the dataset</a> to see how it went.
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
