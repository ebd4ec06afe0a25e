import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Job } from "../../lib/contract";
import { jsonResponse, mockFetch, sentJson } from "../../test/fetch";
import { jobAnswer } from "../../test/jobs";
import { installFakeXhr } from "./fakeXhr";
import type { NewDatasetProps, NewVersionProps } from "./props";
import { UploadIsland } from "./UploadIsland";

const MB = 1024 * 1024;
const GB = 1024 * MB;
const UPLOAD_URL = "/api/v1/datasets/upload/";
const DATASETS_URL = "/api/v1/datasets/";
const DATASET_ID = "5b0e7a52-3c1d-4e8f-9a6b-2d4c8e1f0a37";
const VERSIONS_URL = `/api/v1/datasets/${DATASET_ID}/versions/`;
const PAGE_URL = "/w/acme/sales/";
const JOB_ID = "3f2b6c1e-8a4d-4f7e-9b21-5c0d7e6a9f10";
const JOB_URL = `/api/v1/jobs/${JOB_ID}/`;
const ACME = { slug: "acme", name: "Acme" };
const BETA = { slug: "beta", name: "Beta Research" };

beforeAll(() => {
  const config = document.createElement("script");
  config.type = "application/json";
  config.id = "app-config";
  config.textContent = JSON.stringify({ csrfToken: "csrf-secret-123", csrfHeaderName: "X-CSRFToken", user: null });
  document.head.append(config);
});

function newProps(overrides: Partial<NewDatasetProps> = {}): NewDatasetProps {
  return {
    mode: "new",
    uploadUrl: UPLOAD_URL,
    datasetsUrl: DATASETS_URL,
    workspaces: [ACME],
    defaultWorkspace: "acme",
    maxBytes: 2 * GB,
    datasetUrl: null,
    ...overrides,
  };
}

function versionProps(overrides: Partial<NewVersionProps> = {}): NewVersionProps {
  return {
    mode: "version",
    uploadUrl: VERSIONS_URL,
    datasetsUrl: null,
    workspaces: [],
    defaultWorkspace: null,
    maxBytes: 2 * GB,
    datasetUrl: PAGE_URL,
    ...overrides,
  };
}

/** A CSV file; `size` pretends it is that big without allocating it. */
function csv(name: string, size?: number): File {
  const file = new File(["date,amount\n2025-01-01,12\n"], name, { type: "text/csv" });
  if (size !== undefined) Object.defineProperty(file, "size", { value: size });
  return file;
}

function job(overrides: Partial<Job> = {}): Job {
  return jobAnswer({ id: JOB_ID, ...overrides });
}

const uploadAnswer = {
  dataset: { id: DATASET_ID, title: "sales", page_url: PAGE_URL },
  version: { number: 1, status: "queued" },
  job: { id: JOB_ID, status: "queued" },
};

function versionAnswer(jobId = JOB_ID, number = 2) {
  return { version: { number, status: "queued" }, job: { id: jobId, status: "queued" } };
}

/**
 * A fake API over fetch: jobs answer with whatever `jobs` holds now (the test moves them along),
 * `routes` answer "METHOD url" with a response.
 */
function fakeApi(routes: Record<string, () => Response> = {}) {
  const jobs = new Map<string, Job>([[JOB_URL, job()]]);
  const fetchMock = mockFetch((url, init) => {
    const route = routes[`${init.method ?? "GET"} ${url}`];
    if (route) return route();
    const current = jobs.get(url);
    if (current) return jsonResponse(current);
    return jsonResponse({ error: { code: "not_found", message: "Not found." } }, 404);
  });
  return { fetchMock, jobs };
}

function fileInput() {
  return screen.getByLabelText("File") as HTMLInputElement;
}

/** What a screen reader reads after the Title field: its hint, then its errors if any. */
function titleDescriptions(): string[] {
  const ids = screen.getByLabelText("Title").getAttribute("aria-describedby")?.split(" ") ?? [];
  return ids.map((id) => document.getElementById(id)?.textContent ?? "");
}

function titleHint() {
  return titleDescriptions()[0];
}

function status() {
  return screen.getByTestId("upload-status").textContent;
}

function bar(name: "Upload progress" | "Processing progress") {
  return screen.getByRole("progressbar", { name }).getAttribute("aria-valuenow");
}

describe("upload island", () => {
  it("leaves the title empty for the server to name, says the dataset is named after the chosen file, and shows its size", async () => {
    const user = userEvent.setup();
    render(<UploadIsland {...newProps()} />);
    const title = screen.getByLabelText("Title") as HTMLInputElement;
    // A real file input (keyboard and screen readers reach it) whose second label is the drop zone.
    expect(fileInput().type).toBe("file");
    expect(screen.getByLabelText("Drop a CSV, Excel, JSON or Parquet file here, or choose one")).toBe(fileInput());
    expect(titleHint()).toBe("Left empty, the dataset is named after the file or the URL.");

    await user.upload(fileInput(), csv("sales_2024.csv", 1536));
    expect(title.value).toBe("");
    expect(titleHint()).toBe("Left empty, the dataset is named after the file, “sales_2024.csv”.");
    expect(screen.getByTestId("upload-file").textContent).toBe("sales_2024.csv (1.5 KB)");

    await user.type(title, "Daily weather");
    await user.upload(fileInput(), csv("weather-2.csv"));
    expect(title.value).toBe("Daily weather");
    expect(titleHint()).toBe("Left empty, the dataset is named after the file, “weather-2.csv”.");
    expect(screen.getByTestId("upload-file").textContent).toContain("weather-2.csv");
  });

  it("takes a file dropped on the drop zone, and refuses several at once", async () => {
    render(<UploadIsland {...newProps()} />);
    const zone = screen.getByTestId("upload-dropzone");

    fireEvent.drop(zone, { dataTransfer: { files: [csv("a.csv"), csv("b.csv")] } });
    expect(screen.getByRole("alert").textContent).toBe("Drop one file at a time.");

    fireEvent.dragOver(zone, { dataTransfer: { files: [] } });
    fireEvent.drop(zone, { dataTransfer: { files: [csv("rainfall.csv", 3 * MB)] } });
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.getByTestId("upload-file").textContent).toBe("rainfall.csv (3.0 MB)");
    expect(titleHint()).toBe("Left empty, the dataset is named after the file, “rainfall.csv”.");
  });

  it("refuses a file over the limit in the browser, without sending anything", async () => {
    const requests = installFakeXhr();
    const { fetchMock } = fakeApi();
    const user = userEvent.setup();
    render(<UploadIsland {...newProps()} />);

    await user.upload(fileInput(), csv("huge.csv", 2.4 * GB));

    expect(screen.getByRole("alert").textContent).toBe("This file is 2.4 GB; the limit is 2.0 GB.");
    expect(screen.queryByTestId("upload-file")).toBeNull();
    expect(titleHint()).toBe("Left empty, the dataset is named after the file or the URL.");

    await user.click(screen.getByRole("button", { name: "Upload" }));
    expect(screen.getByText("Choose a file to upload.")).toBeTruthy();
    expect(requests).toHaveLength(0);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("sends the file and the dataset's details as multipart with the CSRF header, shows the transfer, follows the job and opens the dataset", async () => {
    const requests = installFakeXhr();
    const { fetchMock, jobs } = fakeApi();
    const navigate = vi.fn();
    const user = userEvent.setup();
    render(
      <UploadIsland
        {...newProps({ workspaces: [ACME, BETA], defaultWorkspace: "beta" })}
        navigate={navigate}
        pollMs={10}
      />,
    );

    await user.upload(fileInput(), csv("sales.csv", 400 * MB));
    await user.type(screen.getByLabelText("Title"), "  Monthly sales  ");
    await user.type(screen.getByLabelText("Description"), "Monthly sales");
    expect((screen.getByLabelText("Workspace") as HTMLSelectElement).value).toBe("beta");
    await user.selectOptions(screen.getByLabelText("Visibility"), "Public");
    await user.click(screen.getByRole("button", { name: "Upload" }));

    expect(requests).toHaveLength(1);
    const xhr = requests[0]!;
    expect(xhr.method).toBe("POST");
    expect(xhr.url).toBe(UPLOAD_URL);
    expect(xhr.requestHeaders).toMatchObject({ "X-CSRFToken": "csrf-secret-123", Accept: "application/json" });
    expect(xhr.withCredentials).toBe(false); // same-origin: the session cookie goes, and only there
    expect(xhr.form.get("title")).toBe("Monthly sales");
    expect(xhr.form.get("workspace")).toBe("beta");
    expect(xhr.form.get("visibility")).toBe("public");
    expect(xhr.form.get("description")).toBe("Monthly sales");
    expect((xhr.form.get("file") as File).name).toBe("sales.csv");

    expect(status()).toBe("Uploading… 0% (0 B of 400 MB)");
    expect(screen.getByRole("button", { name: "Upload" }).matches(":disabled")).toBe(true);
    act(() => xhr.progress(168 * MB, 400 * MB));
    expect(status()).toBe("Uploading… 42% (168 MB of 400 MB)");
    expect(bar("Upload progress")).toBe("42");
    act(() => xhr.progress(400 * MB, 400 * MB));
    expect(status()).toBe("Uploaded 400 MB. Waiting for the server…");

    act(() => xhr.respond(202, uploadAnswer));
    await waitFor(() => expect(status()).toBe("Queued: waiting for a worker…"));
    expect(screen.queryByRole("progressbar", { name: "Upload progress" })).toBeNull();

    jobs.set(JOB_URL, job({ status: "running", progress: 0.4, stage: "Profiling", message: "Column 3 of 7" }));
    await waitFor(() => expect(status()).toBe("Processing… 40% · Profiling"));
    expect(bar("Processing progress")).toBe("40");
    expect(screen.getByText("Column 3 of 7")).toBeTruthy();
    expect(navigate).not.toHaveBeenCalled();

    jobs.set(JOB_URL, job({ status: "succeeded", progress: 1, stage: "Finished" }));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith(PAGE_URL));
    expect(status()).toBe("Done. Opening the dataset…");
    expect(bar("Processing progress")).toBe("100");
    expect(fetchMock.mock.calls.every(([url]) => url === JOB_URL)).toBe(true);
  });

  it("shows the server's 413 message and keeps the file for another try", async () => {
    const requests = installFakeXhr();
    const user = userEvent.setup();
    render(<UploadIsland {...versionProps()} />);

    await user.upload(fileInput(), csv("sales.csv"));
    await user.click(screen.getByRole("button", { name: "Upload new version" }));
    act(() =>
      requests[0]!.respond(413, {
        error: { code: "too_large", message: "This file is over the 2.0 GB limit.", details: null },
      }),
    );

    expect((await screen.findByRole("alert")).textContent).toBe("This file is over the 2.0 GB limit.");
    expect(screen.queryByRole("progressbar")).toBeNull();
    expect(screen.getByTestId("upload-file").textContent).toContain("sales.csv");
    expect(screen.getByRole("button", { name: "Upload new version" }).matches(":disabled")).toBe(false);
  });

  it("explains a proxy's 413 that has no JSON body", async () => {
    const requests = installFakeXhr();
    const user = userEvent.setup();
    render(<UploadIsland {...versionProps()} />);

    await user.upload(fileInput(), csv("sales.csv"));
    await user.click(screen.getByRole("button", { name: "Upload new version" }));
    act(() => requests[0]!.respond(413, "<h1>413 Request Entity Too Large</h1>", "Request Entity Too Large"));

    expect((await screen.findByRole("alert")).textContent).toBe("This file is larger than the server accepts.");
  });

  it("shows a 400's message, its field errors beside the fields and the others in the alert", async () => {
    const requests = installFakeXhr();
    const user = userEvent.setup();
    render(<UploadIsland {...newProps()} />);

    await user.upload(fileInput(), csv("sales.csv"));
    await user.click(screen.getByRole("button", { name: "Upload" }));
    act(() =>
      requests[0]!.respond(400, {
        error: {
          code: "invalid",
          message: "Invalid input.",
          details: {
            title: ["Ensure this field has no more than 200 characters."],
            workspace: ["You may not add datasets here."],
          },
        },
      }),
    );

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("Invalid input.You may not add datasets here.");
    expect(screen.getByLabelText("Title").getAttribute("aria-invalid")).toBe("true");
    expect(titleDescriptions()).toEqual([
      "Left empty, the dataset is named after the file, “sales.csv”.",
      "Ensure this field has no more than 200 characters.",
    ]);
  });

  it("cancels the transfer: the request is aborted and the form comes back", async () => {
    const requests = installFakeXhr();
    const user = userEvent.setup();
    render(<UploadIsland {...newProps()} />);

    await user.upload(fileInput(), csv("sales.csv", 400 * MB));
    await user.click(screen.getByRole("button", { name: "Upload" }));
    act(() => requests[0]!.progress(40 * MB, 400 * MB));
    expect(status()).toBe("Uploading… 10% (40 MB of 400 MB)");

    await user.click(screen.getByRole("button", { name: "Cancel" }));

    expect(requests[0]!.aborted).toBe(true);
    expect((await screen.findByRole("alert")).textContent).toBe("Upload cancelled.");
    expect(screen.queryByRole("progressbar")).toBeNull();
    expect(screen.queryByRole("button", { name: "Cancel" })).toBeNull();
    expect(screen.getByRole("button", { name: "Upload" }).matches(":disabled")).toBe(false);
  });

  it("says so when the connection drops during the transfer", async () => {
    const requests = installFakeXhr();
    const user = userEvent.setup();
    render(<UploadIsland {...newProps()} />);

    await user.upload(fileInput(), csv("sales.csv"));
    await user.click(screen.getByRole("button", { name: "Upload" }));
    act(() => requests[0]!.failNetwork());

    expect((await screen.findByRole("alert")).textContent).toBe(
      "Could not reach the server. Check your connection and try again.",
    );
  });

  it("shows a failed ingest's error, says the previous version is still current, and lets the user try another file", async () => {
    const requests = installFakeXhr();
    const secondJobUrl = "/api/v1/jobs/second-job/";
    const { jobs } = fakeApi();
    const navigate = vi.fn();
    const user = userEvent.setup();
    render(<UploadIsland {...versionProps()} navigate={navigate} pollMs={10} />);

    await user.upload(fileInput(), csv("sales.csv"));
    await user.click(screen.getByRole("button", { name: "Upload new version" }));
    expect(requests[0]!.url).toBe(VERSIONS_URL);
    expect([...requests[0]!.form.keys()]).toEqual(["file"]);
    act(() => requests[0]!.respond(202, versionAnswer()));
    await screen.findByRole("progressbar", { name: "Processing progress" });
    jobs.set(
      JOB_URL,
      job({ status: "failed", progress: 0.3, error: 'Line 12, column 3: "n/a" is not a number (column "amount").' }),
    );

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain('Line 12, column 3: "n/a" is not a number (column "amount").');
    expect(alert.textContent).toContain("The previous version is still current.");
    expect(screen.queryByRole("progressbar")).toBeNull();
    expect(screen.queryByTestId("upload-file")).toBeNull();
    expect(navigate).not.toHaveBeenCalled();

    await user.upload(fileInput(), csv("sales-fixed.csv"));
    expect(screen.queryByRole("alert")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Upload new version" }));
    expect(requests).toHaveLength(2);
    expect(requests[1]!.url).toBe(VERSIONS_URL);
    expect((requests[1]!.form.get("file") as File).name).toBe("sales-fixed.csv");
    jobs.set(secondJobUrl, job({ id: "second-job", status: "succeeded", progress: 1 }));
    act(() => requests[1]!.respond(202, versionAnswer("second-job", 3)));

    await waitFor(() => expect(navigate).toHaveBeenCalledWith(PAGE_URL));
  });

  it("after a failed first ingest, retries as a version of the dataset it created, not a second dataset", async () => {
    const requests = installFakeXhr();
    const { jobs } = fakeApi();
    const navigate = vi.fn();
    const user = userEvent.setup();
    render(<UploadIsland {...newProps()} navigate={navigate} pollMs={10} />);

    await user.upload(fileInput(), csv("sales.csv"));
    await user.click(screen.getByRole("button", { name: "Upload" }));
    jobs.set(
      JOB_URL,
      job({ status: "failed", error: "Line 2, column 1: the file is not UTF-8, Latin-1 or Windows-1252." }),
    );
    act(() => requests[0]!.respond(202, uploadAnswer));

    expect((await screen.findByRole("alert")).textContent).toContain("Line 2, column 1");
    expect(screen.getByText(/has been created: the file or URL you send next is added to it/)).toBeTruthy();
    expect(screen.queryByLabelText("Title")).toBeNull();

    jobs.set("/api/v1/jobs/retry/", job({ id: "retry", status: "succeeded", progress: 1 }));
    await user.upload(fileInput(), csv("sales-utf8.csv"));
    await user.click(screen.getByRole("button", { name: "Upload" }));
    expect(requests[1]!.url).toBe(VERSIONS_URL);
    expect([...requests[1]!.form.keys()]).toEqual(["file"]);
    act(() => requests[1]!.respond(202, versionAnswer("retry")));

    await waitFor(() => expect(navigate).toHaveBeenCalledWith(PAGE_URL));
  });

  it("imports a new version from a URL by posting JSON, then opens the dataset", async () => {
    const requests = installFakeXhr();
    const { fetchMock, jobs } = fakeApi({ [`POST ${VERSIONS_URL}`]: () => jsonResponse(versionAnswer(), 202) });
    jobs.set(JOB_URL, job({ status: "succeeded", progress: 1 }));
    const navigate = vi.fn();
    const user = userEvent.setup();
    render(<UploadIsland {...versionProps()} navigate={navigate} pollMs={10} />);
    const form = screen.getByRole("form", { name: "Import from URL" });

    await user.type(within(form).getByLabelText("URL"), "ftp://example.com/sales.csv");
    await user.click(within(form).getByRole("button", { name: "Import" }));
    expect(screen.getByText("Enter a full http:// or https:// URL.")).toBeTruthy();
    expect(fetchMock).not.toHaveBeenCalled();

    await user.clear(within(form).getByLabelText("URL"));
    await user.type(within(form).getByLabelText("URL"), "https://example.com/sales.csv");
    await user.click(within(form).getByRole("button", { name: "Import" }));

    await waitFor(() => expect(navigate).toHaveBeenCalledWith(PAGE_URL));
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe(VERSIONS_URL);
    expect(init?.method).toBe("POST");
    expect(sentJson(init)).toEqual({ url: "https://example.com/sales.csv" });
    expect((init?.headers as Record<string, string> | undefined)?.["X-CSRFToken"]).toBe("csrf-secret-123");
    expect(requests).toHaveLength(0);
  });

  it("imports a new dataset from a URL in one request: the details and the URL go to the upload endpoint", async () => {
    const created = { ...uploadAnswer, dataset: { id: DATASET_ID, title: "weather", page_url: "/w/beta/weather/" } };
    const { fetchMock, jobs } = fakeApi({ [`POST ${UPLOAD_URL}`]: () => jsonResponse(created, 202) });
    jobs.set(JOB_URL, job({ status: "succeeded", progress: 1 }));
    const navigate = vi.fn();
    const user = userEvent.setup();
    render(
      <UploadIsland
        {...newProps({ workspaces: [ACME, BETA], defaultWorkspace: null })}
        navigate={navigate}
        pollMs={10}
      />,
    );

    await user.type(screen.getByLabelText("URL"), "https://example.com/weather.csv");
    await user.click(screen.getByRole("button", { name: "Import" }));
    expect(screen.getByText("Choose a workspace.")).toBeTruthy();
    expect(fetchMock).not.toHaveBeenCalled();

    await user.selectOptions(screen.getByLabelText("Workspace"), "Beta Research");
    await user.click(screen.getByRole("button", { name: "Import" }));

    await waitFor(() => expect(navigate).toHaveBeenCalledWith("/w/beta/weather/"));
    const posts = fetchMock.mock.calls.filter(([, init]) => init?.method === "POST");
    expect(posts.map(([url]) => url)).toEqual([UPLOAD_URL]);
    const body = posts[0]![1]?.body as FormData;
    // No title: the server names the dataset after the URL's file.
    expect(Object.fromEntries(body.entries())).toEqual({
      workspace: "beta",
      description: "",
      visibility: "private",
      url: "https://example.com/weather.csv",
    });
    expect((posts[0]![1]?.headers as Record<string, string> | undefined)?.["X-CSRFToken"]).toBe("csrf-secret-123");
  });

  it("sends no title when the field is empty or blank, so the server names the dataset after the file", async () => {
    const requests = installFakeXhr();
    const user = userEvent.setup();
    render(<UploadIsland {...newProps()} />);

    await user.upload(fileInput(), csv("sales_2024.csv"));
    await user.type(screen.getByLabelText("Title"), "   ");
    await user.click(screen.getByRole("button", { name: "Upload" }));

    expect(requests).toHaveLength(1);
    expect(requests[0]!.url).toBe(UPLOAD_URL);
    expect(requests[0]!.form.has("title")).toBe(false);
    expect([...requests[0]!.form.keys()]).toEqual(["workspace", "description", "visibility", "file"]);
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("says so when it cannot follow the ingest, and follows it again on Try again", async () => {
    const requests = installFakeXhr();
    let readable = false;
    mockFetch(() =>
      readable
        ? jsonResponse(job({ status: "succeeded", progress: 1 }))
        : jsonResponse({ error: { code: "not_found", message: "Not found." } }, 404),
    );
    const navigate = vi.fn();
    const user = userEvent.setup();
    render(<UploadIsland {...versionProps()} navigate={navigate} pollMs={10} />);

    await user.upload(fileInput(), csv("sales.csv"));
    await user.click(screen.getByRole("button", { name: "Upload new version" }));
    act(() => requests[0]!.respond(202, versionAnswer()));

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("Could not follow the processing: Not found.Open the dataset to see how it went.");
    expect(within(alert).getByRole("link", { name: "Open the dataset" }).getAttribute("href")).toBe(PAGE_URL);
    readable = true;
    await user.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith(PAGE_URL));
  });

  it("asks for a workspace only when there is a choice", () => {
    const { unmount } = render(<UploadIsland {...newProps()} />);
    expect(screen.queryByLabelText("Workspace")).toBeNull();
    expect(screen.getByText("Acme")).toBeTruthy();
    unmount();

    render(<UploadIsland {...newProps({ workspaces: [ACME, BETA], defaultWorkspace: "beta" })} />);
    const select = screen.getByLabelText("Workspace") as HTMLSelectElement;
    expect(select.value).toBe("beta");
    expect(
      within(select)
        .getAllByRole("option")
        .map((option) => option.textContent),
    ).toEqual(["Acme", "Beta Research"]);
  });

  it("explains that uploading needs a workspace when the caller has none", () => {
    render(<UploadIsland {...newProps({ workspaces: [], defaultWorkspace: null })} />);

    expect(screen.getByText(/You need to be an owner or editor of a workspace/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Upload" })).toBeNull();
  });
});
