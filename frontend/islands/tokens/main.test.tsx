import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { jsonResponse, mockFetch } from "../../test/fetch";
import { addIsland, addJsonScript, mountLikeThePage } from "../../test/page";

beforeEach(mountLikeThePage);

describe("tokens entry", () => {
  it("mounts the island from the page's props and loads the tokens from its apiUrl", async () => {
    addJsonScript("app-config", { csrfToken: "t", csrfHeaderName: "X-CSRFToken", user: { email: "a@example.com" } });
    const island = addIsland("tokens", "island-tokens-1", { apiUrl: "/api/v1/tokens/" });
    const fetchMock = mockFetch(() => jsonResponse({ count: 0, next: null, previous: null, results: [] }));

    await import("./main");

    expect(await within(island).findByText("No tokens yet.")).toBeTruthy();
    expect(within(island).getByRole("button", { name: "Create token" })).toBeTruthy();
    expect(fetchMock.mock.calls.map(([url]) => url)).toContain("/api/v1/tokens/");
    expect(screen.queryByText(/could not be loaded/)).toBeNull();
  });
});
