import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resetLiveForTests } from "../../lib/live";
import { FakeWebSocket, installFakeWebSocket } from "../../test/fakeWebSocket";
import { useStaleCharts } from "./useStaleCharts";

let socket: () => FakeWebSocket;

beforeEach(() => {
  socket = installFakeWebSocket();
});

afterEach(() => resetLiveForTests());

describe("stale dashboard charts", () => {
  it("counts each tile_stale for the charts it names", () => {
    const { result } = renderHook(() => useStaleCharts("d1", true));
    socket().open();
    expect(socket().sent).toEqual([{ subscribe: "dashboard:d1" }]);
    act(() => socket().push({ channel: "dashboard:d1", event: "tile_stale", data: { charts: ["a", "b"] } }));
    act(() => socket().push({ channel: "dashboard:d1", event: "tile_stale", data: { charts: ["a"] } }));
    expect(result.current).toEqual({ a: 2, b: 1 });
  });

  it("does not follow a shared dashboard", () => {
    renderHook(() => useStaleCharts("d1", false));
    expect(FakeWebSocket.instances).toHaveLength(0);
  });
});
