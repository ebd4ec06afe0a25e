import { act, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Job } from "./contract";
import { jobAnswer } from "../test/jobs";
import { useJob, type JobSource, type JobState } from "./useJob";

function job(overrides: Partial<Job>): Job {
  return jobAnswer({ id: "j1", status: "running", created_at: null, ...overrides });
}

function Shown({ jobId, source }: { jobId: string | null; source: JobSource }) {
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
