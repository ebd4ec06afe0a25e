import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { jsonResponse, mockFetch, sentJson } from "../../test/fetch";
import { installFakeXhr } from "./fakeXhr";
import { UploadIsland } from "./UploadIsland";
import {
  UPLOAD_URL,
  DATASET_ID,
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
} from "./fixtures";

beforeAll(installAppConfig);

describe("upload island: URL imports, blank titles, a lost ingest and workspaces", () => {
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
