import { within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { jsonResponse, mockFetch } from "../../test/fetch";
import { addIsland, addJsonScript, mountLikeThePage } from "../../test/page";
import { MONTHLY_COUNTS, QUERY_URL, builderProps } from "./fixtures";

vi.mock("echarts", () => ({
  init: vi.fn(() => ({ setOption: vi.fn(), resize: vi.fn(), dispose: vi.fn(), getDataURL: vi.fn() })),
}));

beforeEach(mountLikeThePage);

describe("chart-builder entry", () => {
  it("mounts the builder from the page's props and previews the default chart", async () => {
    addJsonScript("app-config", { csrfToken: "tok", csrfHeaderName: "X-CSRFToken", user: { email: "a@example.com" } });
    const island = addIsland("chart-builder", "island-chart-builder-1", builderProps());
    const fetchMock = mockFetch(() => jsonResponse(MONTHLY_COUNTS));

    await import("./main");

    const preview = await within(island).findByTestId("chart-preview");
    expect(await within(preview).findByRole("img")).toBeTruthy();
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe(QUERY_URL);
    expect((init?.headers as Record<string, string> | undefined)?.["X-CSRFToken"]).toBe("tok");
  });
});
