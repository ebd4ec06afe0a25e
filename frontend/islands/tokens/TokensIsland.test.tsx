import { render, screen, waitForElementToBeRemoved, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { jsonResponse, mockFetch, noContent, sentJson } from "../../test/fetch";
import { TokensIsland } from "./TokensIsland";
import type { Token } from "./types";

const API = "/api/v1/tokens/";
const SECRET = "dm_ab34ef_Zq8vN2kLpX4rT7wY1sD9";

function token(overrides: Partial<Token> = {}): Token {
  return {
    id: 12,
    name: "ci",
    scope: "read",
    prefix: "dm_ab12cd",
    created_at: "2025-01-15T10:00:00Z",
    expires_at: null,
    last_used_at: null,
    ...overrides,
  };
}

/** A fake tokens API over an in-memory list; "taken" is a name the server rejects. */
function tokensServer(initial: Token[]) {
  let tokens = [...initial];
  let nextId = 100;
  const fetchMock = mockFetch((url, init) => {
    const method = init.method ?? "GET";
    if (url === API && method === "GET") {
      return jsonResponse({ count: tokens.length, next: null, previous: null, results: tokens });
    }
    if (url === API && method === "POST") {
      const body = sentJson(init) as { name: string; scope: "read" | "write"; expires_at: string | null };
      if (body.name === "taken") {
        return jsonResponse(
          {
            error: {
              code: "invalid",
              message: "Invalid input.",
              details: { name: ["You already have a token with this name."] },
            },
          },
          400,
        );
      }
      const created = token({
        id: nextId++,
        name: body.name,
        scope: body.scope,
        prefix: "dm_ab34ef",
        expires_at: body.expires_at,
      });
      tokens = [...tokens, created];
      return jsonResponse({ ...created, token: `${SECRET}${created.id}` }, 201);
    }
    const match = /^\/api\/v1\/tokens\/(\d+)\/$/.exec(url);
    if (match && method === "DELETE") {
      tokens = tokens.filter((t) => t.id !== Number(match[1]));
      return noContent();
    }
    return jsonResponse({ error: { code: "not_found", message: "Not found." } }, 404);
  });
  return fetchMock;
}

describe("tokens island", () => {
  it("lists the user's tokens with their prefix, scope and dates", async () => {
    tokensServer([
      token(),
      token({ id: 13, name: "deploy", scope: "write", prefix: "dm_ff00aa", last_used_at: "2025-02-01T08:30:00Z" }),
    ]);

    render(<TokensIsland apiUrl={API} />);

    const ciRow = (await screen.findByRole("cell", { name: "ci" })).closest("tr")!;
    expect(within(ciRow).getByText("dm_ab12cd…")).toBeTruthy();
    expect(within(ciRow).getByText("read")).toBeTruthy();
    expect(within(ciRow).getAllByText("never")).toHaveLength(2);
    const deployRow = screen.getByRole("cell", { name: "deploy" }).closest("tr")!;
    expect(within(deployRow).getByText("write")).toBeTruthy();
    expect(within(deployRow).getAllByText("never")).toHaveLength(1);
  });

  it("says so when there are no tokens", async () => {
    tokensServer([]);

    render(<TokensIsland apiUrl={API} />);

    expect(await screen.findByText("No tokens yet.")).toBeTruthy();
    expect(screen.queryByRole("table")).toBeNull();
  });

  it("shows a new token's secret once, lists the token without it, and hides it on dismiss", async () => {
    const fetchMock = tokensServer([]);
    const user = userEvent.setup();
    render(<TokensIsland apiUrl={API} />);
    await screen.findByText("No tokens yet.");

    await user.type(screen.getByLabelText("Name"), "deploy");
    await user.selectOptions(screen.getByLabelText("Scope"), "write");
    await user.selectOptions(screen.getByLabelText("Expires"), "30 days");
    await user.click(screen.getByRole("button", { name: "Create token" }));

    const secret = await screen.findByTestId("token-secret");
    expect(secret.textContent).toBe(`${SECRET}100`);
    expect(screen.getByText(/Copy this token now\. You will not be able to see it again\./)).toBeTruthy();

    const post = fetchMock.mock.calls.find(([, init]) => init?.method === "POST")!;
    const body = sentJson(post[1]) as { name: string; scope: string; expires_at: string };
    expect(body).toMatchObject({ name: "deploy", scope: "write" });
    const days = (Date.parse(body.expires_at) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.99);
    expect(days).toBeLessThan(30.01);

    // The list refreshed from the server: the new row is there, its secret is not.
    const table = await screen.findByRole("table");
    expect(within(table).getByRole("cell", { name: "deploy" })).toBeTruthy();
    expect(table.textContent).not.toContain(SECRET);
    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("");

    await user.click(screen.getByRole("button", { name: "Copy" }));
    expect(await navigator.clipboard.readText()).toBe(`${SECRET}100`);
    expect(screen.getByRole("button", { name: "Copied" })).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByTestId("token-secret")).toBeNull();
    expect(document.body.textContent).not.toContain(SECRET);
  });

  it("replaces the shown secret when another token is created", async () => {
    tokensServer([]);
    const user = userEvent.setup();
    render(<TokensIsland apiUrl={API} />);
    await screen.findByText("No tokens yet.");

    await user.type(screen.getByLabelText("Name"), "first");
    await user.click(screen.getByRole("button", { name: "Create token" }));
    expect((await screen.findByTestId("token-secret")).textContent).toBe(`${SECRET}100`);

    await user.type(screen.getByLabelText("Name"), "second");
    await user.click(screen.getByRole("button", { name: "Create token" }));

    await screen.findByText(`${SECRET}101`);
    expect(screen.getAllByTestId("token-secret")).toHaveLength(1);
    expect(document.body.textContent).not.toContain(`${SECRET}100`);
  });

  it("revokes a token after confirmation and removes its row", async () => {
    const fetchMock = tokensServer([token(), token({ id: 13, name: "deploy" })]);
    const confirm = vi.spyOn(window, "confirm").mockReturnValue(true);
    const user = userEvent.setup();
    render(<TokensIsland apiUrl={API} />);

    await user.click(await screen.findByRole("button", { name: "Revoke ci" }));

    expect(confirm).toHaveBeenCalledOnce();
    if (screen.queryByRole("cell", { name: "ci" })) {
      await waitForElementToBeRemoved(() => screen.queryByRole("cell", { name: "ci" }));
    }
    expect(screen.getByRole("cell", { name: "deploy" })).toBeTruthy();
    expect(screen.getByRole("status").textContent).toBe("Revoked “ci”. Scripts using it now get 401 Unauthorized.");
    const deletes = fetchMock.mock.calls.filter(([, init]) => init?.method === "DELETE");
    expect(deletes.map(([url]) => url)).toEqual(["/api/v1/tokens/12/"]);
  });

  it("keeps the token when the user cancels the confirmation", async () => {
    const fetchMock = tokensServer([token()]);
    vi.spyOn(window, "confirm").mockReturnValue(false);
    const user = userEvent.setup();
    render(<TokensIsland apiUrl={API} />);

    await user.click(await screen.findByRole("button", { name: "Revoke ci" }));

    expect(screen.getByRole("cell", { name: "ci" })).toBeTruthy();
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === "DELETE")).toBe(false);
  });

  it("shows the server's field error beside the Name field", async () => {
    tokensServer([]);
    const user = userEvent.setup();
    render(<TokensIsland apiUrl={API} />);
    await screen.findByText("No tokens yet.");

    await user.type(screen.getByLabelText("Name"), "taken");
    await user.click(screen.getByRole("button", { name: "Create token" }));

    expect((await screen.findByRole("alert")).textContent).toBe("Invalid input.");
    const name = screen.getByLabelText("Name");
    expect(name.getAttribute("aria-invalid")).toBe("true");
    const describedBy = document.getElementById(name.getAttribute("aria-describedby")!);
    expect(describedBy?.textContent).toBe("You already have a token with this name.");
    expect(screen.queryByTestId("token-secret")).toBeNull();
  });
});
