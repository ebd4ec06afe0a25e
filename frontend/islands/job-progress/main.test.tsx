import { within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { jsonResponse, mockFetch } from "../../test/fetch";
import { addIsland, mountLikeThePage } from "../../test/page";

const FIRST = "11111111-1111-4111-8111-111111111111";
const SECOND = "22222222-2222-4222-8222-222222222222";

beforeEach(() => {
  mountLikeThePage();
  vi.resetModules();
});

describe("job-progress entry", () => {
  it("mounts one bar per island element, each following its own job", async () => {
    const first = addIsland("job-progress", "island-job-progress-1", {
      jobId: FIRST,
      apiUrl: `/api/v1/jobs/${FIRST}/`,
    });
    const second = addIsland("job-progress", "island-job-progress-2", {
      jobId: SECOND,
      apiUrl: `/api/v1/jobs/${SECOND}/`,
      pollMs: 500,
      redirectOnSuccess: null,
    });
    mockFetch((url) =>
      jsonResponse(
        url.includes(FIRST)
          ? { id: FIRST, kind: "ingest", status: "failed", progress: 0.5, stage: "", message: "", error: "Bad file." }
          : { id: SECOND, kind: "export", status: "succeeded", progress: 1, stage: "", message: "", error: "" },
      ),
    );

    await import("./main");

    expect((await within(first).findByRole("alert")).textContent).toBe("Bad file.");
    expect(within(first).getByText("50%")).toBeTruthy();
    expect((await within(second).findByTestId("job-status")).textContent).toBe("Done");
    expect(within(second).getByText("100%")).toBeTruthy();
  });

  it("shows an error in the element when the props are wrong", async () => {
    const island = addIsland("job-progress", "island-job-progress-1", { jobId: FIRST, pollMs: -5 });
    const fetchMock = mockFetch(() => jsonResponse({}));

    await expect(import("./main")).rejects.toThrow('Island "job-progress": invalid props');

    expect(within(island).getByRole("alert").textContent).toContain('"apiUrl" must be a non-empty string');
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
