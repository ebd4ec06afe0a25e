import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { jsonResponse, mockFetch, sentJson } from "../../test/fetch";
import { PROPS } from "./fixtures";
import { SqlEditor } from "./SqlEditor";

const ANSWER = {
  columns: [
    { name: "city", type: "text" },
    { name: "n", type: "integer" },
  ],
  rows: [
    { city: "Lyon", n: 3 },
    { city: "Nice", n: 1 },
  ],
  truncated: false,
  elapsed_ms: 12.5,
  inputs: [{ dataset: "d1", version: 2 }],
};

describe("SqlEditor", () => {
  it("runs the statement and shows the rows and what was read", async () => {
    const fetchMock = mockFetch(() => jsonResponse(ANSWER));
    render(<SqlEditor {...PROPS} />);
    await userEvent.click(screen.getByRole("button", { name: "Run" }));
    const grid = await screen.findByRole("grid", { name: "Query results" });
    await waitFor(() =>
      expect(
        within(grid)
          .getAllByRole("gridcell")
          .map((cell) => cell.textContent),
      ).toEqual(["Lyon", "3", "Nice", "1"]),
    );
    expect(screen.getByTestId("grid-count").textContent).toBe("2 rows");
    expect(screen.getByText(/2 rows in 12.5 ms · read Stations v2/)).toBeTruthy();
    expect(sentJson(fetchMock.mock.calls[0]?.[1])).toEqual({
      sql: "SELECT city FROM stations",
      workspace: "acme",
      limit: 1000,
      async: false,
    });
  });

  it("shows a refusal with its code and position, and marks it in the editor", async () => {
    mockFetch(() =>
      jsonResponse(
        {
          error: {
            code: "sql_not_allowed",
            message: "The function getenv() at line 1, column 8 is not allowed.",
            details: { line: 1, column: 8, start: 7, end: 12 },
          },
        },
        400,
      ),
    );
    render(<SqlEditor {...PROPS} initialSql="SELECT getenv('HOME')" />);
    await userEvent.click(screen.getByRole("button", { name: "Run" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("sql_not_allowed: The function getenv() at line 1, column 8 is not allowed.");
    const shadow = document.querySelector(".sql-codemirror")?.shadowRoot;
    await waitFor(() => expect(shadow?.querySelector(".cm-lintRange-error")?.textContent).toBe("getenv"));
  });

  it("hides saving from people who may not save", () => {
    render(<SqlEditor {...PROPS} canSave={false} />);
    expect(screen.queryByRole("button", { name: "Save query" })).toBeNull();
    expect(screen.getByText(/needs the editor role/)).toBeTruthy();
  });

  it("saves a new query and opens it by its URL", async () => {
    const fetchMock = mockFetch(() => jsonResponse({ id: "q1", url: "/w/acme/sql/?query=q1" }, 201));
    const assign = vi.fn();
    vi.stubGlobal("location", { ...window.location, assign });
    render(<SqlEditor {...PROPS} />);
    await userEvent.type(screen.getByLabelText("Save as a query"), "Cities");
    await userEvent.click(screen.getByRole("button", { name: "Save query" }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith("/w/acme/sql/?query=q1"));
    expect(sentJson(fetchMock.mock.calls[0]?.[1])).toEqual({
      workspace: "acme",
      title: "Cities",
      sql: "SELECT city FROM stations",
    });
  });
});
