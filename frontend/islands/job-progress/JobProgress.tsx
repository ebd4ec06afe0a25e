import { useEffect } from "react";
import { ProgressBar } from "../../components/ProgressBar";
import { useJob, type JobStatus } from "../../lib/useJob";
import type { JobProgressProps } from "./props";

const STATUS_LABELS: Record<JobStatus, string> = {
  queued: "Queued",
  running: "Running",
  succeeded: "Done",
  failed: "Failed",
};

function goTo(url: string) {
  window.location.assign(url);
}

interface Props extends JobProgressProps {
  /** How to follow redirectOnSuccess; tests replace it, the page uses a real navigation. */
  navigate?: (url: string) => void;
}

export function JobProgress({ apiUrl, pollMs, redirectOnSuccess, navigate = goTo }: Props) {
  const { job, reconnecting, fatalError } = useJob(apiUrl, pollMs);
  const succeeded = job?.status === "succeeded";

  useEffect(() => {
    if (succeeded && redirectOnSuccess) navigate(redirectOnSuccess);
  }, [succeeded, redirectOnSuccess, navigate]);

  if (fatalError !== null && job === null) {
    return (
      <div className="alert alert-error" role="alert">
        Could not load this job: {fatalError}
      </div>
    );
  }

  const progress = job === null ? null : succeeded ? 1 : job.progress;
  return (
    <div className="stack island-job-progress">
      <div className="row">
        <span className="badge" data-testid="job-status">
          {job === null ? "Loading…" : STATUS_LABELS[job.status]}
        </span>
        {job?.stage ? <span>{job.stage}</span> : null}
      </div>
      <ProgressBar value={progress} label="Job progress" />
      {job?.message ? <p className="muted">{job.message}</p> : null}
      {reconnecting ? (
        <p className="muted" role="status">
          Reconnecting…
        </p>
      ) : null}
      {fatalError !== null ? (
        <div className="alert alert-error" role="alert">
          Stopped following this job: {fatalError}
        </div>
      ) : null}
      {job?.status === "failed" ? (
        <div className="alert alert-error" role="alert">
          {job.error || "The job failed."}
        </div>
      ) : null}
      {succeeded ? (
        <div className="alert alert-success" role="status">
          {redirectOnSuccess ? "Done. Opening the result…" : "Done."}
        </div>
      ) : null}
    </div>
  );
}
