import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resetLiveForTests } from "../../lib/live";
import { installFakeWebSocket, type FakeWebSocket } from "../../test/fakeWebSocket";
import { jsonResponse, mockFetch, sentJson } from "../../test/fetch";
import { NotificationsBell, type Notification } from "./NotificationsBell";
import { parseNotificationsProps } from "./props";

const PROPS = { listUrl: "/api/v1/notifications/", readUrl: "/api/v1/notifications/read/", unread: 1 };

function note(id: number, message: string, read = false): Notification {
  return { id, kind: "version_ready", message, url: `/w/acme/d${id}/`, created_at: "2025-01-15T10:00:00Z", read };
}

let socket: () => FakeWebSocket;

beforeEach(() => {
  socket = installFakeWebSocket();
});

afterEach(() => resetLiveForTests());

describe("notifications bell", () => {
  it("counts new notifications as they arrive, lists them, and marks them read", async () => {
    const fetchMock = mockFetch((url) =>
      url === PROPS.readUrl
        ? jsonResponse({ marked: 2, unread: 0 })
        : jsonResponse({ count: 1, next: null, previous: null, results: [note(1, "Old news.")] }),
    );
    render(<NotificationsBell {...PROPS} />);
    const bell = screen.getByRole("button", { name: "Notifications, 1 unread" });
    socket().open();
    expect(socket().sent).toEqual([{ subscribe: "notifications" }]);
    await waitFor(() => expect(fetchMock).toHaveBeenCalledWith("/api/v1/notifications/?read=false", expect.anything()));
    act(() => socket().push({ channel: "notifications", event: "notification", data: note(2, "Sales v2 is ready.") }));
    expect(bell.getAttribute("aria-label")).toBe("Notifications, 2 unread");
    expect(screen.getByTestId("unread-count").textContent).toBe("2");

    await userEvent.click(bell);
    expect(await screen.findByRole("link", { name: "Old news." })).toBeTruthy();
    act(() => socket().push({ channel: "notifications", event: "notification", data: note(3, "Newest.") }));
    expect(screen.getAllByRole("listitem").map((li) => li.querySelector("a")?.textContent)).toEqual([
      "Newest.",
      "Old news.",
    ]);

    await userEvent.click(screen.getByRole("button", { name: "Mark all read" }));
    expect(sentJson(fetchMock.mock.calls.at(-1)?.[1])).toEqual({ all: true });
    expect(await screen.findByRole("button", { name: "Notifications" })).toBeTruthy();
    expect(screen.queryByTestId("unread-count")).toBeNull();
  });

  it("counts again when its socket opens, so nothing sent before it listened is missed", async () => {
    mockFetch(() => jsonResponse({ count: 4, next: null, previous: null, results: [] }));
    render(<NotificationsBell {...PROPS} />);
    socket().open();
    expect(await screen.findByRole("button", { name: "Notifications, 4 unread" })).toBeTruthy();
  });

  it("marks one read from the list", async () => {
    const fetchMock = mockFetch((url) =>
      url === PROPS.readUrl
        ? jsonResponse({ marked: 1, unread: 0 })
        : jsonResponse({ count: 1, next: null, previous: null, results: [note(5, "Export failed.")] }),
    );
    render(<NotificationsBell {...PROPS} />);
    await userEvent.click(screen.getByRole("button", { name: "Notifications, 1 unread" }));
    await userEvent.click(await screen.findByRole("button", { name: "Mark read" }));
    expect(sentJson(fetchMock.mock.calls.at(-1)?.[1])).toEqual({ ids: [5] });
    expect(await screen.findByRole("button", { name: "Notifications" })).toBeTruthy();
  });

  it("checks its props", () => {
    expect(parseNotificationsProps(PROPS)).toEqual(PROPS);
    expect(() => parseNotificationsProps({ ...PROPS, unread: -1 })).toThrow("unread");
    expect(() => parseNotificationsProps({ ...PROPS, listUrl: "" })).toThrow("listUrl");
  });
});
