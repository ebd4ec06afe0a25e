import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

// Tests that call React's act() directly (mountIslands) need this; Testing Library sets it for its own calls.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

afterEach(() => {
  cleanup();
  document.body.replaceChildren();
});
