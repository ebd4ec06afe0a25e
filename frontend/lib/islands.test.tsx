import { act } from "react";
import { describe, expect, it } from "vitest";
import { addIsland } from "../test/page";
import { mountIslands } from "./islands";
import { expectObject, expectString } from "./validate";

function Greeting({ who }: { who: string }) {
  return <p>Hello, {who}</p>;
}

function parseGreeting(raw: unknown): { who: string } {
  return { who: expectString(expectObject(raw, "greeting props"), "who") };
}

describe("mountIslands", () => {
  it("mounts every island of that name with its own props, and no other", () => {
    const first = addIsland("greeting", "island-greeting-1", { who: "Ada" });
    const second = addIsland("greeting", "island-greeting-2", { who: "Grace" });
    const other = addIsland("tokens", "island-tokens-1", { apiUrl: "/api/v1/tokens/" });

    let roots: ReturnType<typeof mountIslands> = [];
    act(() => {
      roots = mountIslands("greeting", Greeting, parseGreeting);
    });

    expect(roots).toHaveLength(2);
    expect(first.textContent).toBe("Hello, Ada");
    expect(second.textContent).toBe("Hello, Grace");
    expect(other.textContent).toBe("");
    act(() => {
      for (const root of roots) root.unmount();
    });
  });

  it("shows an error in place of an island with bad props, mounts the rest, then throws", () => {
    const bad = addIsland("greeting", "island-greeting-1", { who: 42 });
    const good = addIsland("greeting", "island-greeting-2", { who: "Grace" });

    let roots: ReturnType<typeof mountIslands> = [];
    act(() => {
      expect(() => {
        roots = mountIslands("greeting", Greeting, parseGreeting);
      }).toThrow('Island "greeting": invalid props in #island-greeting-1: "who" must be a non-empty string');
    });

    expect(bad.querySelector("[role=alert]")?.textContent).toContain('Island "greeting"');
    expect(good.textContent).toBe("Hello, Grace");
    act(() => {
      for (const root of roots) root.unmount();
    });
  });

  it("reports props that are not JSON, or missing", () => {
    const broken = addIsland("greeting", "island-greeting-1", "{not json");
    const orphan = document.createElement("div");
    orphan.dataset.island = "greeting";
    orphan.dataset.props = "island-greeting-missing";
    document.body.append(orphan);

    expect(() => mountIslands("greeting", Greeting, parseGreeting)).toThrow(
      'Island "greeting": props in #island-greeting-1 are not valid JSON.',
    );
    expect(broken.textContent).toContain("not valid JSON");
    expect(orphan.textContent).toContain('no props element with id "island-greeting-missing"');
  });
});
