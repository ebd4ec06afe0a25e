import { act, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Job } from "../../lib/contract";
import { jsonResponse, mockFetch } from "../../test/fetch";
import { jobAnswer } from "../../test/jobs";
import { JobProgress } from "./JobProgress";

const JOB_ID = "3f2b6c1e-8a4d-4f7e-9b21-5c0d7e6a9f10";
const API = `/api/v1/jobs/${JOB_ID}/`;

function job(overrides: Partial<Job>): Job {
  return jobAnswer({ id: JOB_ID, status: "running", started_at: "2025-01-15T10:00:01Z", ...overrides });
}

/** Answer each poll with the next response in `answers` (the last one repeats). */
function jobServer(answers: Array<Job | Error | Response>) {
  let call = 0;
  return mockFetch(() => {
    const answer = answers[Math.min(call++, answers.length - 1)]!;
    if (answer instanceof Error) throw answer;
    if (answer instanceof Response) return answer;
    return jsonResponse(answer);
  });
}

/** Let `ms` of fake time pass and the fetches it started settle. */
async function wait(ms: number) {
  await act(() => vi.advanceTimersByTimeAsync(ms));
}

function statusText() {
  return screen.getByTestId("job-status").textContent;
}

function percent() {
  return screen.getByRole("progressbar", { name: "Job progress" }).getAttribute("aria-valuenow");
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("job-progress island", () => {
  it("polls until the job succeeds, updating progress, then says Done and redirects", async () => {
    const fetchMock = jobServer([
      job({ progress: 0.1, stage: "Reading file" }),
      job({ progress: 0.42, stage: "Profiling", message: "Column 3 of 7" }),
      job({ status: "succeeded", progress: 1, stage: "Finished", result: { version: 1 } }),
    ]);
    const navigate = vi.fn();

    render(
      <JobProgress jobId={JOB_ID} apiUrl={API} pollMs={1000} redirectOnSuccess="/w/team/sales/" navigate={navigate} />,
    );
    await wait(0);

    expect(statusText()).toBe("Running");
    expect(percent()).toBe("10");
    expect(screen.getByText("10%")).toBeTruthy();
    expect(screen.getByText("Reading file")).toBeTruthy();

    await wait(1000);
    expect(percent()).toBe("42");
    expect(screen.getByText("42%")).toBeTruthy();
    expect(screen.getByText("Profiling")).toBeTruthy();
    expect(screen.getByText("Column 3 of 7")).toBeTruthy();
    expect(navigate).not.toHaveBeenCalled();

    await wait(1000);
    expect(statusText()).toBe("Done");
    expect(screen.getByText("100%")).toBeTruthy();
    expect(navigate).toHaveBeenCalledWith("/w/team/sales/");

    await wait(10_000);
    expect(fetchMock).toHaveBeenCalledTimes(3);
    expect(fetchMock.mock.calls.every(([url]) => url === API)).toBe(true);
  });

  it("shows the error of a failed job and stops polling", async () => {
    const fetchMock = jobServer([
      job({ progress: 0.3, stage: "Reading file" }),
      job({ status: "failed", progress: 0.3, error: "Column 'date' mixes two date formats." }),
    ]);

    render(<JobProgress jobId={JOB_ID} apiUrl={API} pollMs={1000} redirectOnSuccess={null} />);
    await wait(0);
    expect(screen.queryByRole("alert")).toBeNull();

    await wait(1000);
    expect(statusText()).toBe("Failed");
    expect(screen.getByRole("alert").textContent).toBe("Column 'date' mixes two date formats.");

    await wait(10_000);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it("keeps polling through network errors with a backoff, showing Reconnecting…", async () => {
    const fetchMock = jobServer([
      job({ progress: 0.2 }),
      new TypeError("Failed to fetch"),
      new TypeError("Failed to fetch"),
      job({ progress: 0.6 }),
      job({ status: "succeeded", progress: 1 }),
    ]);

    render(<JobProgress jobId={JOB_ID} apiUrl={API} pollMs={1000} redirectOnSuccess={null} />);
    await wait(0);
    await wait(1000); // second poll fails
    expect(screen.getByText("Reconnecting…")).toBeTruthy();
    expect(percent()).toBe("20");

    await wait(1999); // backoff doubles: no third poll before 2 s
    expect(fetchMock).toHaveBeenCalledTimes(2);
    await wait(1); // third poll fails too: next one waits 4 s
    expect(fetchMock).toHaveBeenCalledTimes(3);
    await wait(3999);
    expect(fetchMock).toHaveBeenCalledTimes(3);
    await wait(1);
    expect(fetchMock).toHaveBeenCalledTimes(4);
    expect(screen.queryByText("Reconnecting…")).toBeNull();
    expect(percent()).toBe("60");

    await wait(1000); // back to the normal pace
    expect(statusText()).toBe("Done");
  });

  it("stops and explains when the job cannot be read", async () => {
    const fetchMock = jobServer([jsonResponse({ error: { code: "not_found", message: "Not found." } }, 404)]);

    render(<JobProgress jobId={JOB_ID} apiUrl={API} pollMs={1000} redirectOnSuccess={null} />);
    await wait(0);

    expect(screen.getByRole("alert").textContent).toBe("Could not load this job: Not found.");
    await wait(10_000);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
