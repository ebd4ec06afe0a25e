// One view of a background job for every island: a headline the caller words, the progress bar, the
// stage's message, "Reconnecting…", a failed job's error, and a way to follow the job again when it
// could not be read.
import { useEffect, useRef, type ReactNode } from "react";
import { isFinished, type Job } from "../lib/contract";
import { useJob, type UseJobOptions } from "../lib/useJob";
import { ProgressBar } from "./ProgressBar";

interface JobStatusProps extends UseJobOptions {
  jobId: string;
  /** The progress bar's accessible name, e.g. "Job progress". */
  label: string;
  /** What the job is doing, in the caller's words ("Processing… 40% · Profiling"). */
  headline: (job: Job | null) => ReactNode;
  /** Called once when the job succeeds or fails. */
  onFinished?: (job: Job) => void;
  /** Show a failed job's error here; off when the caller shows it itself. */
  showFailure?: boolean;
  /** The note under a job that succeeded; none when null. */
  successText?: ReactNode;
  /** Why the job is no longer followed (it cannot be read): the message, in the caller's words. */
  fatalText: (message: string, job: Job | null) => ReactNode;
  className?: string;
}

export function JobStatus({
  jobId,
  label,
  headline,
  onFinished,
  showFailure = true,
  successText = null,
  fatalText,
  className,
  ...follow
}: JobStatusProps) {
  const { job, reconnecting, fatalError, retry } = useJob(jobId, follow);
  const finished = useRef<string | null>(null);
  const onFinishedRef = useRef(onFinished);
  onFinishedRef.current = onFinished;

  useEffect(() => {
    if (job === null || !isFinished(job) || finished.current === job.id) return;
    finished.current = job.id;
    onFinishedRef.current?.(job);
  }, [job]);

  const fatal =
    fatalError === null ? null : (
      <div className="row island-job-fatal">
        <div className="alert alert-error grow" role="alert">
          {fatalText(fatalError, job)}
        </div>
        <button type="button" className="btn btn-small" onClick={retry}>
          Try again
        </button>
      </div>
    );
  // A job that was never read has nothing to show but why.
  if (job === null && fatal !== null) return fatal;

  const progress = job === null ? null : job.status === "succeeded" ? 1 : job.progress;
  return (
    <div className={`stack${className ? ` ${className}` : ""}`}>
      {headline(job)}
      <ProgressBar value={progress} label={label} />
      {job?.message ? <p className="muted">{job.message}</p> : null}
      {reconnecting ? (
        <p className="muted" role="status">
          Reconnecting…
        </p>
      ) : null}
      {fatal}
      {showFailure && job?.status === "failed" ? (
        <div className="alert alert-error" role="alert">
          {job.error || "The job failed."}
        </div>
      ) : null}
      {job?.status === "succeeded" && successText !== null ? (
        <div className="alert alert-success" role="status">
          {successText}
        </div>
      ) : null}
    </div>
  );
}
