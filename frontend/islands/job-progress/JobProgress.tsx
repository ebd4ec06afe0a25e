import { JobStatus } from "../../components/JobStatus";
import type { JobStatus as Status } from "../../lib/contract";
import type { JobProgressProps } from "./props";

const STATUS_LABELS: Record<Status, string> = {
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

export function JobProgress({ jobId, apiUrl, pollMs, redirectOnSuccess, navigate = goTo }: Props) {
  return (
    <JobStatus
      jobId={jobId}
      url={apiUrl}
      pollMs={pollMs}
      label="Job progress"
      className="island-job-progress"
      headline={(job) => (
        <div className="row">
          <span className="badge" data-testid="job-status">
            {job === null ? "Loading…" : STATUS_LABELS[job.status]}
          </span>
          {job?.stage ? <span>{job.stage}</span> : null}
        </div>
      )}
      successText={redirectOnSuccess ? "Done. Opening the result…" : "Done."}
      fatalText={(message, job) =>
        `${job === null ? "Could not load this job" : "Stopped following this job"}: ${message}`
      }
      onFinished={(job) => {
        if (job.status === "succeeded" && redirectOnSuccess) navigate(redirectOnSuccess);
      }}
    />
  );
}
