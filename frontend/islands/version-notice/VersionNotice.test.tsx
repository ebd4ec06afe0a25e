import { act, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resetLiveForTests } from "../../lib/live";
import { installFakeWebSocket, type FakeWebSocket } from "../../test/fakeWebSocket";
import { jsonResponse, mockFetch } from "../../test/fetch";
import { parseVersionNoticeProps } from "./props";
import { VersionNotice } from "./VersionNotice";

const PROPS = { datasetId: "9b1c", apiUrl: "/api/v1/datasets/9b1c/", version: 3, url: "/w/acme/sales/" };
const CHANNEL = "dataset:9b1c";

let socket: () => FakeWebSocket;

beforeEach(() => {
  socket = installFakeWebSocket();
});

afterEach(() => resetLiveForTests());

describe("version notice", () => {
  it("says nothing until a newer current version is ready, then offers it", () => {
    mockFetch(() => jsonResponse({ current_version: { number: 3 } }));
    render(<VersionNotice {...PROPS} />);
    socket().open();
    expect(socket().sent).toEqual([{ subscribe: CHANNEL }]);
    act(() => socket().push({ channel: CHANNEL, event: "version_failed", data: { version: 4, error: "Empty." } }));
    act(() => socket().push({ channel: CHANNEL, event: "version_ready", data: { version: 2, current: false } }));
    act(() => socket().push({ channel: CHANNEL, event: "version_ready", data: { version: 3, current: true } }));
    expect(screen.queryByRole("status")).toBeNull();

    act(() => socket().push({ channel: CHANNEL, event: "version_ready", data: { version: 5, current: true } }));
    expect(screen.getByRole("status").textContent).toBe("Version 5 is ready — show it");
    expect(screen.getByRole("link", { name: "show it" }).getAttribute("href")).toBe("/w/acme/sales/");
  });

  it("asks when its socket opens, so a version ready before it listened still shows", async () => {
    const fetchMock = mockFetch(() => jsonResponse({ current_version: { number: 4 } }));
    render(<VersionNotice {...PROPS} />);
    socket().open();
    expect((await screen.findByRole("status")).textContent).toBe("Version 4 is ready — show it");
    expect(fetchMock.mock.calls[0]?.[0]).toBe("/api/v1/datasets/9b1c/");
  });

  it("checks its props", () => {
    expect(parseVersionNoticeProps(PROPS)).toEqual(PROPS);
    expect(() => parseVersionNoticeProps({ ...PROPS, version: "3" })).toThrow("version");
  });
});
