// Follows a background job (GET /api/v1/jobs/{id}/) until it succeeds or fails: over the page's live
// socket (lib/live.ts, channel job:<id>) when it can be opened, else by polling. While the socket is
// down, polling takes over; once events flow again (the resubscription resends the job), it stops.
import { useEffect, useState } from "react";
import { ApiError, apiGet, errorMessage } from "./api";
import { subscribe, type LiveStatus } from "./live";

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
/** How long a connecting socket may take to bring the job's state before polling starts anyway. */
export const LIVE_GRACE_MS = 2_000;
/** While events flow, one poll this often still catches what a socket cannot tell (a message lost in a
 * Redis restart, a job failed in bulk by the sweep of abandoned jobs). */
export const LIVE_CHECK_MS = 30_000;

export function isFinished(job: Job | null): boolean {
  return job !== null && (job.status === "succeeded" || job.status === "failed");
}

function isTransient(error: unknown): boolean {
  if (error instanceof ApiError) return error.status >= 500 || error.status === 429;
  return true; // network failure or an unreadable body: try again
}

/** The job id in an API address like /api/v1/jobs/<id>/, or null. */
export function jobIdOf(apiUrl: string): string | null {
  return /\/jobs\/([0-9a-fA-F-]{36})\/?$/.exec(apiUrl)?.[1] ?? null;
}

function asJob(data: Record<string, unknown>): Job | null {
  return typeof data.id === "string" && typeof data.status === "string" && typeof data.progress === "number"
    ? (data as unknown as Job)
    : null;
}

export function useJob(apiUrl: string, pollMs = 1000): JobState {
  const [state, setState] = useState<JobState>({ job: null, reconnecting: false, fatalError: null });

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let live = false; // the socket is bringing this job's events
    let liveEvents = 0; // how many arrived: a poll answer older than the latest event is dropped
    let done = false; // finished, or unreadable: nothing more to follow

    const stop = () => {
      done = true;
      clearTimeout(timer);
      unsubscribe();
    };

    const pollSoon = (delay: number) => {
      clearTimeout(timer);
      timer = undefined;
      if (!done && !controller.signal.aborted) timer = setTimeout(poll, live ? LIVE_CHECK_MS : delay);
    };

    const poll = async () => {
      timer = undefined;
      let next: number | null = pollMs;
      const eventsBefore = liveEvents;
      try {
        const job = await apiGet<Job>(apiUrl, { signal: controller.signal });
        if (done || liveEvents !== eventsBefore) return; // the socket overtook this poll
        failures = 0;
        setState({ job, reconnecting: false, fatalError: null });
        if (isFinished(job)) next = null;
      } catch (error) {
        if (controller.signal.aborted || done) return;
        if (isTransient(error)) {
          failures += 1;
          next = Math.min(pollMs * 2 ** failures, MAX_BACKOFF_MS);
          setState((previous) => ({ ...previous, reconnecting: true }));
        } else {
          next = null;
          setState((previous) => ({ ...previous, reconnecting: false, fatalError: errorMessage(error) }));
        }
      }
      if (next === null) stop();
      else pollSoon(next);
    };

    const onStatus = (status: LiveStatus) => {
      if (status === "open") return; // the job's state is on its way
      live = false;
      if (status !== "connecting") pollSoon(0);
      else if (timer === undefined) pollSoon(LIVE_GRACE_MS);
    };

    const jobId = jobIdOf(apiUrl);
    const unsubscribe = jobId
      ? subscribe(`job:${jobId}`, {
          onEvent: (_event, data) => {
            const job = asJob(data);
            if (job === null || done) return;
            live = true;
            liveEvents += 1;
            setState({ job, reconnecting: false, fatalError: null });
            if (isFinished(job)) stop();
            else pollSoon(LIVE_CHECK_MS);
          },
          onError: () => {
            live = false; // refused: polling finds out why, and says so
            pollSoon(0);
          },
          onStatus,
        })
      : () => {};
    if (!jobId) void poll();

    return () => {
      controller.abort();
      stop();
    };
  }, [apiUrl, pollMs]);

  return state;
}
