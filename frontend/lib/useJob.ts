// The one way an island follows a background job. `useJob(jobId)` subscribes to a job source and returns
// the job's state. The default source, `liveJob`, follows `job:<id>` over the page's live socket
// (lib/live.ts) and polls GET /api/v1/jobs/{id}/ (`pollJob`) only while no socket brings the job's events.
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, apiGet, errorMessage } from "./api";
import { isFinished, parseJob, type Job } from "./contract";
import { subscribe, type LiveStatus } from "./live";

export interface JobState {
  job: Job | null;
  /** The last update failed for a reason that may pass (network, 5xx); the source keeps trying. */
  reconnecting: boolean;
  /** The source stopped because the job cannot be read (404, 403, ...). */
  fatalError: string | null;
}

export interface FollowOptions {
  /** Where the job is read; the v1 contract's /api/v1/jobs/{id}/ by default. */
  url?: string;
  /** How often a polling source asks, in ms. */
  pollMs?: number;
}

/**
 * Something that follows a job: it reports each change (merged into the state) until the job finishes or
 * cannot be read, and returns how to stop. It is read once per job id.
 */
export type JobSource = (
  jobId: string,
  report: (change: Partial<JobState>) => void,
  options: FollowOptions,
) => () => void;

const JOBS_URL = "/api/v1/jobs/";
const MAX_BACKOFF_MS = 30_000;
const INITIAL: JobState = { job: null, reconnecting: false, fatalError: null };

export function jobUrl(jobId: string): string {
  return `${JOBS_URL}${encodeURIComponent(jobId)}/`;
}

function isTransient(error: unknown): boolean {
  if (error instanceof ApiError) return error.status >= 500 || error.status === 429;
  return true; // network failure or an unreadable body: try again
}

/** Ask every `pollMs` until the job finishes; transient failures back off (doubling, up to 30 s). */
export const pollJob: JobSource = (jobId, report, { url = jobUrl(jobId), pollMs = 1000 }) => {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;

  const poll = async () => {
    let next: number | null = pollMs;
    try {
      const job = parseJob(await apiGet<unknown>(url, { signal: controller.signal }));
      failures = 0;
      report({ job, reconnecting: false, fatalError: null });
      if (isFinished(job)) next = null;
    } catch (error) {
      if (controller.signal.aborted) return;
      if (isTransient(error)) {
        failures += 1;
        next = Math.min(pollMs * 2 ** failures, MAX_BACKOFF_MS);
        report({ reconnecting: true });
      } else {
        next = null;
        report({ reconnecting: false, fatalError: errorMessage(error) });
      }
    }
    if (next !== null && !controller.signal.aborted) timer = setTimeout(poll, next);
  };

  void poll();
  return () => {
    controller.abort();
    clearTimeout(timer);
  };
};

/** How long a connecting socket may take to bring the job's state before polling starts anyway. */
export const LIVE_GRACE_MS = 2_000;
/** While events flow, one poll this long after the last event still catches what a socket cannot tell
 * (a message lost in a Redis restart, a job failed in bulk by the sweep of abandoned jobs). */
export const LIVE_CHECK_MS = 30_000;

/**
 * Follow the job over the live socket: its state arrives on subscription, then every change. Where no
 * socket opens (a proxy without WebSockets), or while it is down, `pollJob` takes over; it stops as soon
 * as events flow again (the resubscription resends the job's state).
 */
export const liveJob: JobSource = (jobId, report, options) => {
  let done = false;
  let events = 0; // a poll answer that started before the latest event is older than it: dropped
  let polling: (() => void) | null = null;
  let grace: ReturnType<typeof setTimeout> | undefined;
  let check: ReturnType<typeof setTimeout> | undefined;

  const stopPolling = () => {
    polling?.();
    polling = null;
  };
  const finish = () => {
    done = true;
    stopPolling();
    clearTimeout(grace);
    clearTimeout(check);
    unsubscribe();
  };
  /** Poll until stopped (`once`: until the first answer), reporting only answers newer than any event. */
  const startPolling = (once = false) => {
    if (done || polling !== null) return;
    const eventsAtStart = events;
    const stop = pollJob(
      jobId,
      (change) => {
        if (done || events !== eventsAtStart) return;
        report(change);
        if (change.fatalError || (change.job && isFinished(change.job))) finish();
        else if (once) stopPolling();
      },
      options,
    );
    polling = stop;
  };

  const unsubscribe = subscribe(`job:${jobId}`, {
    onEvent: (_event, data) => {
      if (done) return;
      let job: Job;
      try {
        job = parseJob(data);
      } catch {
        return;
      }
      events += 1;
      clearTimeout(grace);
      stopPolling();
      report({ job, reconnecting: false, fatalError: null });
      if (isFinished(job)) return finish();
      clearTimeout(check);
      check = setTimeout(() => startPolling(true), LIVE_CHECK_MS);
    },
    onError: () => startPolling(), // refused: polling finds out why, and says so
    onStatus: (status: LiveStatus) => {
      if (status === "open") return; // the job's state is on its way (the grace timer still runs)
      if (status === "connecting") {
        if (polling === null) {
          clearTimeout(grace);
          grace = setTimeout(() => startPolling(), LIVE_GRACE_MS);
        }
        return;
      }
      clearTimeout(grace);
      startPolling(); // closed, or no WebSocket in this browser
    },
  });
  return finish;
};

export interface UseJobOptions extends FollowOptions {
  /** How to follow the job; the project's default source unless a test or a page says otherwise. */
  source?: JobSource;
}

/** The state of job `jobId` (null: nothing to follow yet), and `retry` to follow it again after a fatal error. */
export function useJob(jobId: string | null, options: UseJobOptions = {}): JobState & { retry: () => void } {
  const [state, setState] = useState<JobState>(INITIAL);
  const [attempt, setAttempt] = useState(0);
  // Read when the job (or the attempt) changes, so callers may pass a new options object on every render.
  const latest = useRef(options);
  latest.current = options;

  useEffect(() => {
    // A retry keeps the job last seen; another job starts from nothing.
    setState((previous) =>
      previous.job !== null && previous.job.id === jobId ? { ...previous, fatalError: null } : INITIAL,
    );
    if (jobId === null) return;
    const { source = liveJob, url, pollMs } = latest.current;
    return source(jobId, (change) => setState((previous) => ({ ...previous, ...change })), { url, pollMs });
  }, [jobId, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, retry };
}
