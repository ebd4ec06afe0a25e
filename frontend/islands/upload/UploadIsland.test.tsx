import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { installFakeXhr } from "./fakeXhr";
import { UploadIsland } from "./UploadIsland";
import {
  MB,
  GB,
  UPLOAD_URL,
  VERSIONS_URL,
  PAGE_URL,
  JOB_URL,
  ACME,
  BETA,
  newProps,
  versionProps,
  csv,
  job,
  uploadAnswer,
  versionAnswer,
  fakeApi,
  fileInput,
  installAppConfig,
  titleDescriptions,
  titleHint,
  status,
  bar,
} from "./fixtures";

beforeAll(installAppConfig);

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
});
