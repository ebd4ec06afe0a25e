import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeWebSocket, installFakeWebSocket } from "../test/fakeWebSocket";
import { jsonResponse, mockFetch } from "../test/fetch";
import { resetLiveForTests } from "./live";
import { LIVE_CHECK_MS, LIVE_GRACE_MS, jobIdOf, useJob, type Job } from "./useJob";

const JOB_ID = "3f2b6c1e-8a4d-4f7e-9b21-5c0d7e6a9f10";
const API = `/api/v1/jobs/${JOB_ID}/`;
const CHANNEL = `job:${JOB_ID}`;

function job(overrides: Partial<Job>): Job {
  return {
    id: JOB_ID,
    kind: "ingest",
    status: "running",
    progress: 0,
    stage: "",
    message: "",
    error: "",
    result: null,
    created_at: "2025-01-15T10:00:00Z",
    started_at: "2025-01-15T10:00:01Z",
    finished_at: null,
    ...overrides,
  };
}

async function wait(ms: number) {
  await act(() => vi.advanceTimersByTimeAsync(ms));
}

let socket: () => FakeWebSocket;

beforeEach(() => {
  vi.useFakeTimers();
  socket = installFakeWebSocket();
});

afterEach(() => {
  resetLiveForTests();
  vi.useRealTimers();
});

describe("useJob over the live socket", () => {
  it("follows the job's events and never polls while they flow", async () => {
    const fetchMock = mockFetch(() => jsonResponse(job({ progress: 0.99 })));
    const { result } = renderHook(() => useJob(API, 1000));
    socket().open();
    expect(socket().sent).toEqual([{ subscribe: CHANNEL }]);

    act(() => socket().push({ channel: CHANNEL, event: "progress", data: job({ progress: 0.2, stage: "Reading" }) }));
    expect(result.current.job?.progress).toBe(0.2);
    await wait(5_000);
    act(() => socket().push({ channel: CHANNEL, event: "progress", data: job({ progress: 0.7 }) }));
    expect(result.current.job?.progress).toBe(0.7);
    act(() => socket().push({ channel: CHANNEL, event: "finished", data: job({ status: "succeeded", progress: 1 }) }));
    expect(result.current.job?.status).toBe("succeeded");
    // A stale progress after the end changes nothing.
    act(() => socket().push({ channel: CHANNEL, event: "progress", data: job({ progress: 0.7 }) }));
    expect(result.current.job?.status).toBe("succeeded");

    await wait(LIVE_CHECK_MS * 2);
    expect(fetchMock).not.toHaveBeenCalled();
    expect(socket().sent).toEqual([{ subscribe: CHANNEL }, { unsubscribe: CHANNEL }]);
  });

  it("polls when the socket cannot open, and stops once events flow after a reconnect", async () => {
    const fetchMock = mockFetch(() => jsonResponse(job({ progress: 0.3 })));
    const { result } = renderHook(() => useJob(API, 1000));
    socket().drop(); // refused, like a proxy without WebSockets
    await wait(0);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(result.current.job?.progress).toBe(0.3);
    await wait(1000);
    expect(fetchMock).toHaveBeenCalledTimes(2);

    // The retry (after ~0.5 s) has opened a new socket; its job state ends the polling.
    expect(FakeWebSocket.instances.length).toBeGreaterThan(1);
    socket().open();
    act(() => socket().push({ channel: CHANNEL, event: "progress", data: job({ progress: 0.5 }) }));
    const polls = fetchMock.mock.calls.length;
    await wait(10_000);
    expect(fetchMock).toHaveBeenCalledTimes(polls);
    expect(result.current.job?.progress).toBe(0.5);
  });

  it("polls after a grace period when the socket takes too long to bring the job", async () => {
    const fetchMock = mockFetch(() => jsonResponse(job({ progress: 0.4 })));
    renderHook(() => useJob(API, 1000));
    await wait(LIVE_GRACE_MS - 100);
    expect(fetchMock).not.toHaveBeenCalled();
    await wait(200);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("polls when the socket drops mid-job, and checks in rarely while it is live", async () => {
    const fetchMock = mockFetch(() => jsonResponse(job({ progress: 0.6 })));
    const { result } = renderHook(() => useJob(API, 1000));
    socket().open();
    act(() => socket().push({ channel: CHANNEL, event: "progress", data: job({ progress: 0.5 }) }));
    await wait(LIVE_CHECK_MS + 10);
    expect(fetchMock).toHaveBeenCalledTimes(1); // the rare check
    socket().drop();
    await wait(0);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(result.current.job?.progress).toBe(0.6);
  });

  it("a refused subscription falls back to polling, which tells why", async () => {
    mockFetch(() => jsonResponse({ error: { code: "not_found", message: "Not found." } }, 404));
    const { result } = renderHook(() => useJob(API, 1000));
    socket().open();
    act(() => socket().push({ channel: CHANNEL, error: { code: "not_found", message: "No such channel." } }));
    await wait(0);
    expect(result.current.fatalError).toBe("Not found.");
  });

  it("reads the job id from its API address", () => {
    expect(jobIdOf(API)).toBe(JOB_ID);
    expect(jobIdOf(`/api/v1/jobs/${JOB_ID}`)).toBe(JOB_ID);
    expect(jobIdOf("/api/v1/jobs/")).toBeNull();
  });
});
