import { JobStatus } from "../../components/JobStatus";
import type { Job } from "../../lib/contract";

interface Props {
  jobId: string;
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
export function IngestProgress({ jobId, openUrl, pollMs, navigate, onFailed }: Props) {
  return (
    <div className="card island-upload-progress">
      <JobStatus
        jobId={jobId}
        pollMs={pollMs}
        label="Processing progress"
        showFailure={false}
        headline={(job) => (
          <p className="island-upload-status" data-testid="upload-status">
            {statusText(job, openUrl)}
          </p>
        )}
        fatalText={(message) => (
          <>
            <p>Could not follow the processing: {message}</p>
            {openUrl ? (
              <p>
                <a href={openUrl}>Open the dataset</a> to see how it went.
              </p>
            ) : null}
          </>
        )}
        onFinished={(job) => {
          if (job.status === "succeeded" && openUrl) navigate(openUrl);
          if (job.status === "failed") onFailed(job.error || "Processing failed.");
        }}
      />
    </div>
  );
}
