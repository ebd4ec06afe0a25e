import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from "vitest";
import { jsonResponse, mockFetch, sentJson } from "../../test/fetch";
import { JOB_ID, PREVIEW_URL, RECIPE_URL, previewAnswer, recipeProps } from "./fixtures";
import { PREVIEW_DELAY_MS } from "./preview";
import { parseRecipeProps } from "./props";
import { RecipeIsland } from "./RecipeIsland";

type Call = [string, RequestInit | undefined];

function calls(fetchMock: Mock, url: string, method: string): unknown[] {
  return (fetchMock.mock.calls as Call[])
    .filter(([u, init]) => u === url && init?.method === method)
    .map(([, init]) => sentJson(init));
}

function server() {
  return mockFetch((url, init) => {
    if (url === PREVIEW_URL) {
      const body = sentJson(init) as { steps: Array<Record<string, unknown>> };
      const cast = body.steps.find((s) => s.op === "cast");
      if (body.steps.some((s) => s.op === "drop")) {
        return jsonResponse(
          { error: { code: "invalid_step", message: "Step 2 (drop): there is no column named 'x'.", details: {} } },
          400,
        );
      }
      return jsonResponse(previewAnswer((cast?.decimal as string | null | undefined) ?? null));
    }
    if (url === RECIPE_URL && init.method === "PUT") {
      return jsonResponse({ recipe: { revision: 1, steps: [] }, version: { number: 2 }, job: { id: JOB_ID } }, 202);
    }
    if (url === `/api/v1/jobs/${JOB_ID}/`) {
      return jsonResponse({
        id: JOB_ID,
        kind: "ingest",
        status: "running",
        progress: 0.4,
        stage: "Applying the recipe",
        message: "",
        error: "",
        result: null,
        created_at: "",
        started_at: null,
        finished_at: null,
      });
    }
    return jsonResponse({ error: { code: "not_found", message: "Not found." } }, 404);
  });
}

async function settle(ms = PREVIEW_DELAY_MS) {
  await act(() => vi.advanceTimersByTimeAsync(ms));
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("recipe island", () => {
  it("opens with a cast step for the focused column and previews it after a pause", async () => {
    const fetchMock = server();
    render(<RecipeIsland {...parseRecipeProps(recipeProps({ focusColumn: "price" }))} />);
    const step = screen.getByRole("listitem", { name: "Step 1: Change type" });
    expect(within(step).getByLabelText("Column")).toHaveProperty("value", "price");
    expect(calls(fetchMock, PREVIEW_URL, "POST")).toHaveLength(0); // debounced
    await settle();
    expect(calls(fetchMock, PREVIEW_URL, "POST")).toEqual([
      { steps: [{ op: "cast", column: "price", type: "float", on_error: "fail" }] },
    ]);
    expect(within(step).getByTestId("step-result").textContent).toContain(
      "2 values do not convert, e.g. “12,25”, “3,5”",
    );

    fireEvent.change(within(step).getByLabelText("Decimal separator"), { target: { value: "," } });
    await settle();
    expect(calls(fetchMock, PREVIEW_URL, "POST").at(-1)).toEqual({
      steps: [{ op: "cast", column: "price", type: "float", on_error: "fail", decimal: "," }],
    });
    const table = screen.getByRole("table", { name: "Preview after the steps" });
    expect(within(table).getByText("3.5")).toBeTruthy();
    expect(within(step).getByTestId("step-result").textContent).toContain("2 rows kept");
    expect(within(step).getByTestId("step-result").textContent).not.toContain("do not convert");
  });

  it("adds, reorders and removes steps", async () => {
    server();
    render(<RecipeIsland {...parseRecipeProps(recipeProps())} />);
    fireEvent.change(screen.getByLabelText("New step"), { target: { value: "trim" } });
    fireEvent.click(screen.getByRole("button", { name: "Add step" }));
    fireEvent.change(screen.getByLabelText("New step"), { target: { value: "dedupe" } });
    fireEvent.click(screen.getByRole("button", { name: "Add step" }));
    expect(screen.getAllByRole("listitem").map((li) => li.getAttribute("aria-label"))).toEqual([
      "Step 1: Trim spaces",
      "Step 2: Remove duplicates",
    ]);
    fireEvent.click(screen.getByRole("button", { name: "Move step 2 up" }));
    expect(screen.getAllByRole("listitem")[0]!.getAttribute("aria-label")).toBe("Step 1: Remove duplicates");
    fireEvent.click(screen.getByRole("button", { name: "Remove step 1" }));
    expect(screen.getAllByRole("listitem").map((li) => li.getAttribute("aria-label"))).toEqual(["Step 1: Trim spaces"]);
    expect(screen.getByText("unsaved changes")).toBeTruthy();
  });

  it("shows the server's refusal naming the step", async () => {
    server();
    render(
      <RecipeIsland
        {...parseRecipeProps(
          recipeProps({
            steps: [
              { op: "trim", columns: ["item"] },
              { op: "drop", columns: ["x"] },
            ],
          }),
        )}
      />,
    );
    await settle();
    expect(screen.getByRole("alert").textContent).toBe("Step 2 (drop): there is no column named 'x'.");
  });

  it("applies: PUTs the steps and follows the job with the progress bar", async () => {
    const fetchMock = server();
    render(<RecipeIsland {...parseRecipeProps(recipeProps({ focusColumn: "price" }))} />);
    await settle();
    fireEvent.click(screen.getByRole("button", { name: "Apply and build version 2" }));
    await settle(0);
    expect(calls(fetchMock, RECIPE_URL, "PUT")).toEqual([
      { steps: [{ op: "cast", column: "price", type: "float", on_error: "fail" }] },
    ]);
    await settle(0);
    expect(screen.getByRole("progressbar", { name: "Job progress" }).getAttribute("aria-valuenow")).toBe("40");
    expect(screen.getByText("Building version 2 with these steps · Applying the recipe")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Add step" })).toBeNull();
  });

  it("is read-only for viewers", async () => {
    server();
    render(
      <RecipeIsland
        {...parseRecipeProps(
          recipeProps({ canChange: false, focusColumn: "price", steps: [{ op: "trim", columns: ["item"] }] }),
        )}
      />,
    );
    await settle();
    expect(screen.getAllByRole("listitem")).toHaveLength(1);
    expect(screen.queryByRole("button", { name: "Add step" })).toBeNull();
    expect(screen.queryByRole("button", { name: /Apply/ })).toBeNull();
    expect(screen.queryByRole("button", { name: /Remove/ })).toBeNull();
    expect(screen.getByRole("checkbox", { name: "item" }).matches(":disabled")).toBe(true); // inside a disabled fieldset
  });
});
