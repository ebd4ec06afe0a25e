import { within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { jsonResponse, mockFetch } from "../../test/fetch";
import { addIsland, addJsonScript, mountLikeThePage } from "../../test/page";
import { RAIN, chartAnswer, dashboardProps } from "./fixtures";

vi.mock("echarts", () => ({
  init: vi.fn(() => ({ setOption: vi.fn(), resize: vi.fn(), dispose: vi.fn(), getDataURL: vi.fn() })),
}));

beforeEach(mountLikeThePage);

describe("dashboard entry", () => {
  it("mounts the dashboard from the page's props and loads its tiles", async () => {
    addJsonScript("app-config", { csrfToken: "t", csrfHeaderName: "X-CSRFToken", user: null });
    const island = addIsland("dashboard", "island-dashboard-1", dashboardProps());
    const fetchMock = mockFetch((url) => jsonResponse(chartAnswer(url.includes(RAIN) ? RAIN : "other")));

    await import("./main");

    const tile = await within(island).findByRole("region", { name: "Rainy days" });
    expect(await within(tile).findByRole("img")).toBeTruthy();
    expect(within(island).getAllByTestId("tile")).toHaveLength(3);
    expect(fetchMock.mock.calls.map(([url]) => url)).toContain(`/api/v1/charts/${RAIN}/data/`);
  });
});
