import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { JobSource, JobState } from "../lib/useJob";
import { jobAnswer } from "../test/jobs";
import { JobStatus } from "./JobStatus";

/** A job source the test drives by hand; `reports` holds one entry each time the job is followed. */
function handSource() {
  const reports: Array<(change: Partial<JobState>) => void> = [];
  const source: JobSource = (_jobId, report) => {
    reports.push(report);
    return () => {};
  };
  return { source, reports, send: (change: Partial<JobState>) => act(() => reports[reports.length - 1]!(change)) };
}

function status(props: Partial<Parameters<typeof JobStatus>[0]> & { source: JobSource }) {
  return render(
    <JobStatus
      jobId="j1"
      label="Job progress"
      headline={(job) => <p data-testid="headline">{job === null ? "Waiting" : job.stage}</p>}
      fatalText={(message) => `Stopped: ${message}`}
      {...props}
    />,
  );
}

describe("JobStatus", () => {
  it("shows the caller's headline, the bar, the message and Reconnecting…", () => {
    const { source, send } = handSource();
    status({ source });
    expect(screen.getByTestId("headline").textContent).toBe("Waiting");
    expect(screen.getByRole("progressbar", { name: "Job progress" }).hasAttribute("aria-valuenow")).toBe(false);

    send({ job: jobAnswer({ status: "running", progress: 0.25, stage: "Parsing", message: "Row 400" }) });
    expect(screen.getByTestId("headline").textContent).toBe("Parsing");
    expect(screen.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("25");
    expect(screen.getByText("Row 400")).toBeTruthy();
    send({ reconnecting: true });
    expect(screen.getByRole("status").textContent).toBe("Reconnecting…");
  });

  it("tells the caller once when the job finishes, and shows a failure unless told not to", () => {
    const { source, send } = handSource();
    const onFinished = vi.fn();
    const { rerender } = status({ source, onFinished });
    send({ job: jobAnswer({ status: "failed", progress: 0.3, error: "Line 3 has 2 fields." }) });
    expect(screen.getByRole("alert").textContent).toBe("Line 3 has 2 fields.");
    send({ job: jobAnswer({ status: "failed", progress: 0.3, error: "Line 3 has 2 fields." }) });
    expect(onFinished).toHaveBeenCalledTimes(1);
    expect(onFinished.mock.calls[0]![0]).toMatchObject({ status: "failed" });

    rerender(
      <JobStatus
        jobId="j1"
        source={source}
        label="Job progress"
        showFailure={false}
        headline={() => null}
        fatalText={(message) => message}
      />,
    );
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("says why it stopped following, with Try again following the job anew", async () => {
    const { source, reports, send } = handSource();
    const user = userEvent.setup();
    status({ source });
    send({ fatalError: "Not found." });
    // Nothing was read yet: only the reason, no empty bar.
    expect(screen.getByRole("alert").textContent).toBe("Stopped: Not found.");
    expect(screen.queryByRole("progressbar")).toBeNull();

    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(reports).toHaveLength(2);
    expect(screen.queryByRole("alert")).toBeNull();
    send({ job: jobAnswer({ status: "succeeded", progress: 1 }) });
    expect(screen.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("100");
  });
});
