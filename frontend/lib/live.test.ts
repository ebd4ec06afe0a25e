import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeWebSocket, installFakeWebSocket } from "../test/fakeWebSocket";
import { liveStatus, resetLiveForTests, SIGNED_OUT, subscribe } from "./live";

let socket: () => FakeWebSocket;

beforeEach(() => {
  vi.useFakeTimers();
  socket = installFakeWebSocket();
});

afterEach(() => {
  resetLiveForTests();
  vi.useRealTimers();
});

describe("the page's live socket", () => {
  it("opens one socket for every subscriber, subscribes on open and routes events by channel", () => {
    const job = vi.fn();
    const bell = vi.fn();
    subscribe("job:1", { onEvent: job });
    subscribe("notifications", { onEvent: bell });
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(socket().url).toBe(`ws://${window.location.host}/ws/`);

    socket().open();
    expect(socket().sent).toEqual([{ subscribe: "job:1" }, { subscribe: "notifications" }]);
    socket().push({ channel: "job:1", event: "progress", data: { progress: 0.5 } });
    socket().push({ channel: "notifications", event: "notification", data: { id: 1 } });
    socket().push({ channel: "dataset:9", event: "version_ready", data: { version: 2 } });
    expect(job).toHaveBeenCalledWith("progress", { progress: 0.5 });
    expect(bell).toHaveBeenCalledWith("notification", { id: 1 });
    expect(job).toHaveBeenCalledTimes(1);
  });

  it("hands refusals to onError, and unsubscribes when the last subscriber leaves", () => {
    const onError = vi.fn();
    const first = subscribe("job:2", { onEvent: vi.fn(), onError });
    const second = subscribe("job:2", { onEvent: vi.fn() });
    socket().open();
    socket().push({ channel: "job:2", error: { code: "not_found", message: "No such channel." } });
    expect(onError).toHaveBeenCalledWith({ code: "not_found", message: "No such channel." });

    first();
    expect(socket().sent).toEqual([{ subscribe: "job:2" }]);
    second();
    expect(socket().sent).toEqual([{ subscribe: "job:2" }, { unsubscribe: "job:2" }]);
  });

  it("reconnects with a growing delay and subscribes again to what is still wanted", () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5); // no jitter: each delay exactly as designed
    const statuses: string[] = [];
    subscribe("dataset:7", { onEvent: vi.fn(), onStatus: (s) => statuses.push(s) });
    socket().drop();
    expect(liveStatus()).toBe("closed");
    vi.advanceTimersByTime(400);
    expect(FakeWebSocket.instances).toHaveLength(1); // not yet: the first retry waits ~0.5 s
    vi.advanceTimersByTime(300);
    expect(FakeWebSocket.instances).toHaveLength(2);
    socket().drop();
    vi.advanceTimersByTime(700);
    expect(FakeWebSocket.instances).toHaveLength(2); // the second waits ~1 s
    vi.advanceTimersByTime(700);
    expect(FakeWebSocket.instances).toHaveLength(3);

    socket().open();
    expect(socket().sent).toEqual([{ subscribe: "dataset:7" }]);
    expect(statuses).toEqual(["connecting", "closed", "connecting", "closed", "connecting", "open"]);
  });

  it("does not reconnect once the server ends the socket's sign-in (4401)", () => {
    subscribe("job:5", { onEvent: vi.fn() });
    socket().open();
    socket().drop(SIGNED_OUT);
    expect(liveStatus()).toBe("closed");
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it("says unavailable where the browser has no WebSocket", () => {
    vi.stubGlobal("WebSocket", undefined);
    const onStatus = vi.fn();
    subscribe("job:3", { onEvent: vi.fn(), onStatus });
    expect(onStatus).toHaveBeenCalledWith("unavailable");
    expect(liveStatus()).toBe("unavailable");
  });

  it("ignores messages that are not JSON or not for anyone", () => {
    const onEvent = vi.fn();
    subscribe("job:4", { onEvent });
    socket().open();
    socket().onmessage?.({ data: "not json" });
    socket().push({ event: "progress", data: {} });
    socket().push({ channel: "job:4", event: "progress", data: null });
    expect(onEvent).not.toHaveBeenCalled();
  });
});
