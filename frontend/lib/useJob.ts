// Polls a background job (GET /api/v1/jobs/{id}/) until it succeeds or fails.
import { useEffect, useState } from "react";
import { ApiError, apiGet, errorMessage } from "./api";

export type JobStatus = "queued" | "running" | "succeeded" | "failed";

export interface Job {
  id: string;
  kind: string;
  status: JobStatus;
  progress: number;
  stage: string;
  message: string;
  error: string;
  result: Record<string, unknown> | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface JobState {
  job: Job | null;
  /** The last poll failed for a reason that may pass (network, 5xx); polling goes on with a backoff. */
  reconnecting: boolean;
  /** Polling stopped because the job cannot be read (404, 403, ...). */
  fatalError: string | null;
}

const MAX_BACKOFF_MS = 30_000;

export function isFinished(job: Job | null): boolean {
  return job !== null && (job.status === "succeeded" || job.status === "failed");
}

function isTransient(error: unknown): boolean {
  if (error instanceof ApiError) return error.status >= 500 || error.status === 429;
  return true; // network failure or an unreadable body: try again
}

export function useJob(apiUrl: string, pollMs = 1000): JobState {
  const [state, setState] = useState<JobState>({ job: null, reconnecting: false, fatalError: null });

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;

    const poll = async () => {
      let next: number | null = pollMs;
      try {
        const job = await apiGet<Job>(apiUrl, { signal: controller.signal });
        failures = 0;
        setState({ job, reconnecting: false, fatalError: null });
        if (isFinished(job)) next = null;
      } catch (error) {
        if (controller.signal.aborted) return;
        if (isTransient(error)) {
          failures += 1;
          next = Math.min(pollMs * 2 ** failures, MAX_BACKOFF_MS);
          setState((previous) => ({ ...previous, reconnecting: true }));
        } else {
          next = null;
          setState((previous) => ({ ...previous, reconnecting: false, fatalError: errorMessage(error) }));
        }
      }
      if (next !== null && !controller.signal.aborted) timer = setTimeout(poll, next);
    };

    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [apiUrl, pollMs]);

  return state;
}
