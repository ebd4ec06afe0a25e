import { act, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Job } from "./contract";
import { FakeWebSocket, installFakeWebSocket } from "../test/fakeWebSocket";
import { jsonResponse, mockFetch } from "../test/fetch";
import { jobAnswer } from "../test/jobs";
import { resetLiveForTests } from "./live";
import { LIVE_CHECK_MS, LIVE_GRACE_MS, liveJob, useJob, type JobSource, type JobState } from "./useJob";

function job(overrides: Partial<Job>): Job {
  return jobAnswer({ id: "j1", status: "running", created_at: null, ...overrides });
}

function Shown({ jobId, source }: { jobId: string | null; source?: JobSource }) {
  const { job: current, reconnecting, fatalError, retry } = useJob(jobId, { source, pollMs: 250 });
  return (
    <div>
      <span data-testid="state">{`${current?.status ?? "none"} ${Math.round((current?.progress ?? 0) * 100)} ${reconnecting} ${fatalError}`}</span>
      <button type="button" onClick={retry}>
        retry
      </button>
    </div>
  );
}

function text() {
  return screen.getByTestId("state").textContent;
}

describe("useJob", () => {
  it("follows a job through any source: the hook merges what the source reports, and stops it when the job changes", () => {
    let report: (change: Partial<JobState>) => void = () => {};
    const stop = vi.fn();
    const source = vi.fn<JobSource>((_jobId, update) => {
      report = update;
      return stop;
    });
    const { rerender } = render(<Shown jobId="j1" source={source} />);
    expect(source).toHaveBeenCalledWith("j1", expect.any(Function), { url: undefined, pollMs: 250 });
    expect(text()).toBe("none 0 false null");

    act(() => report({ job: job({ progress: 0.4 }) }));
    expect(text()).toBe("running 40 false null");
    act(() => report({ reconnecting: true }));
    expect(text()).toBe("running 40 true null"); // the job last seen stays while reconnecting

    rerender(<Shown jobId="j1" source={source} />);
    expect(source).toHaveBeenCalledTimes(1); // a re-render does not subscribe again
    rerender(<Shown jobId="j2" source={source} />);
    expect(stop).toHaveBeenCalledTimes(1);
    expect(source).toHaveBeenLastCalledWith("j2", expect.any(Function), { url: undefined, pollMs: 250 });
    expect(text()).toBe("none 0 false null");
  });

  it("follows the job again on retry, keeping the job last seen", () => {
    const reports: Array<(change: Partial<JobState>) => void> = [];
    const source: JobSource = (_jobId, update) => {
      reports.push(update);
      return () => {};
    };
    render(<Shown jobId="j1" source={source} />);
    act(() => reports[0]!({ job: job({ progress: 0.5 }), fatalError: "Not found." }));
    expect(text()).toBe("running 50 false Not found.");

    act(() => screen.getByRole("button", { name: "retry" }).click());
    expect(reports).toHaveLength(2);
    expect(text()).toBe("running 50 false null");
  });

  it("follows nothing without a job id", () => {
    const source = vi.fn<JobSource>(() => () => {});
    render(<Shown jobId={null} source={source} />);
    expect(source).not.toHaveBeenCalled();
  });
});

describe("liveJob, the default source", () => {
  const JOB_ID = "3f2b6c1e-8a4d-4f7e-9b21-5c0d7e6a9f10";
  const CHANNEL = `job:${JOB_ID}`;
  let socket: () => FakeWebSocket;

  beforeEach(() => {
    vi.useFakeTimers();
    socket = installFakeWebSocket();
  });

  afterEach(() => {
    resetLiveForTests();
    vi.useRealTimers();
  });

  function follow() {
    const seen: Array<Partial<JobState>> = [];
    const stop = liveJob(JOB_ID, (change) => seen.push(change), { pollMs: 1000 });
    const last = () => seen.filter((change) => change.job).at(-1)?.job;
    return { seen, stop, last };
  }

  async function wait(ms: number) {
    await act(() => vi.advanceTimersByTimeAsync(ms));
  }

  const live = (overrides: Partial<Job>) => jobAnswer({ id: JOB_ID, status: "running", ...overrides });

  it("follows the job's events and never polls while they flow", async () => {
    const fetchMock = mockFetch(() => jsonResponse(live({ progress: 0.99 })));
    const { last } = follow();
    socket().open();
    expect(socket().sent).toEqual([{ subscribe: CHANNEL }]);
    socket().push({ channel: CHANNEL, event: "progress", data: live({ progress: 0.2 }) });
    expect(last()?.progress).toBe(0.2);
    await wait(5_000);
    socket().push({ channel: CHANNEL, event: "progress", data: live({ progress: 0.7 }) });
    socket().push({ channel: CHANNEL, event: "finished", data: live({ status: "succeeded", progress: 1 }) });
    socket().push({ channel: CHANNEL, event: "progress", data: live({ progress: 0.7 }) }); // stale, after the end
    expect(last()?.status).toBe("succeeded");
    await wait(LIVE_CHECK_MS * 2);
    expect(fetchMock).not.toHaveBeenCalled();
    expect(socket().sent).toEqual([{ subscribe: CHANNEL }, { unsubscribe: CHANNEL }]);
  });

  it("polls when the socket cannot open, and stops once events flow after a reconnect", async () => {
    const fetchMock = mockFetch(() => jsonResponse(live({ progress: 0.3 })));
    const { last } = follow();
    socket().drop(); // refused, like a proxy without WebSockets
    await wait(0);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(last()?.progress).toBe(0.3);
    await wait(1000);
    expect(fetchMock).toHaveBeenCalledTimes(2);

    expect(FakeWebSocket.instances.length).toBeGreaterThan(1); // the retry after ~0.5 s
    socket().open();
    socket().push({ channel: CHANNEL, event: "progress", data: live({ progress: 0.5 }) });
    const polls = fetchMock.mock.calls.length;
    await wait(10_000);
    expect(fetchMock).toHaveBeenCalledTimes(polls);
    expect(last()?.progress).toBe(0.5);
  });

  it("polls after a grace period when the socket takes too long to bring the job", async () => {
    const fetchMock = mockFetch(() => jsonResponse(live({ progress: 0.4 })));
    follow();
    await wait(LIVE_GRACE_MS - 100);
    expect(fetchMock).not.toHaveBeenCalled();
    await wait(200);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("checks once after a long silence, and polls when the socket drops mid-job", async () => {
    const fetchMock = mockFetch(() => jsonResponse(live({ progress: 0.6 })));
    const { last } = follow();
    socket().open();
    socket().push({ channel: CHANNEL, event: "progress", data: live({ progress: 0.5 }) });
    await wait(LIVE_CHECK_MS + 10);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    await wait(5_000);
    expect(fetchMock).toHaveBeenCalledTimes(1); // one check, not polling
    socket().drop();
    await wait(0);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(last()?.progress).toBe(0.6);
  });

  it("a refused subscription falls back to polling, which tells why", async () => {
    mockFetch(() => jsonResponse({ error: { code: "not_found", message: "Not found." } }, 404));
    const { seen } = follow();
    socket().open();
    socket().push({ channel: CHANNEL, error: { code: "not_found", message: "No such channel." } });
    await wait(0);
    expect(seen.at(-1)?.fatalError).toBe("Not found.");
  });

  it("is what useJob follows by default", async () => {
    mockFetch(() => jsonResponse(live({})));
    render(<Shown jobId={JOB_ID} />);
    socket().open();
    expect(socket().sent).toEqual([{ subscribe: CHANNEL }]);
    act(() => socket().push({ channel: CHANNEL, event: "progress", data: live({ progress: 0.8 }) }));
    expect(text()).toBe("running 80 false null");
  });
});
