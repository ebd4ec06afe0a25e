import { cleanup, configure } from "@testing-library/react";
import { afterEach, beforeEach, vi } from "vitest";

// Tests that call React's act() directly (mountIslands) need this; Testing Library sets it for its own calls.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

// findBy* and waitFor wait this long: a loaded 2-core CI machine is slow to render, and a longer bound
// changes no assertion.
configure({ asyncUtilTimeout: 5000 });

beforeEach(() => {
  // Islands fall back to polling without a WebSocket; tests of the live socket install a fake one.
  vi.stubGlobal("WebSocket", undefined);
});

afterEach(() => {
  cleanup();
  document.body.replaceChildren();
});
