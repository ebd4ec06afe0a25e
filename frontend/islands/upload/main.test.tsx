import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { jsonResponse, mockFetch } from "../../test/fetch";
import { addIsland, addJsonScript, mountLikeThePage } from "../../test/page";

beforeEach(() => {
  mountLikeThePage();
  vi.resetModules();
});

describe("upload entry", () => {
  it("mounts the island from the page's props", async () => {
    addJsonScript("app-config", { csrfToken: "t", csrfHeaderName: "X-CSRFToken", user: { email: "a@example.com" } });
    const island = addIsland("upload", "island-upload-1", {
      mode: "version",
      uploadUrl: "/api/v1/datasets/5b0e7a52-3c1d-4e8f-9a6b-2d4c8e1f0a37/versions/",
      datasetsUrl: "/api/v1/datasets/",
      workspaces: [],
      defaultWorkspace: null,
      maxBytes: 2147483648,
      datasetUrl: "/w/acme/sales/",
    });
    const fetchMock = mockFetch(() => jsonResponse({}));

    await import("./main");

    expect(await within(island).findByRole("button", { name: "Upload new version" })).toBeTruthy();
    expect(within(island).getByLabelText("File")).toBeTruthy();
    expect(within(island).getByText("Up to 2.0 GB.")).toBeTruthy();
    expect(within(island).getByRole("button", { name: "Import" })).toBeTruthy();
    expect(screen.queryByText(/could not be loaded/)).toBeNull();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("shows an error in the element when the props are wrong", async () => {
    const island = addIsland("upload", "island-upload-1", {
      mode: "new",
      uploadUrl: "/api/v1/datasets/upload/",
      maxBytes: 1,
    });

    await expect(import("./main")).rejects.toThrow('Island "upload": invalid props');

    expect(within(island).getByRole("alert").textContent).toContain('"datasetsUrl" must be a non-empty string');
  });
});
