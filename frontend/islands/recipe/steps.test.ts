import { describe, expect, it } from "vitest";
import type { RecipeColumn } from "./props";
import { applyToColumns, columnsBefore, moveStep, newStep, parseSteps, type Step } from "./steps";

const COLUMNS: RecipeColumn[] = [
  { name: "item", type: "text", format: null },
  { name: "price", type: "text", format: null },
  { name: "stock", type: "integer", format: null },
];

describe("columnsBefore", () => {
  it("follows renames, casts, drops and splits like the server", () => {
    const steps: Step[] = [
      { op: "rename", column: "item", to: "part" },
      { op: "cast", column: "price", type: "float", decimal: ",", on_error: "fail" },
      { op: "split", column: "part", separator: " ", into: ["kind", "size"] },
      { op: "drop", columns: ["stock"] },
    ];
    expect(columnsBefore(COLUMNS, steps, 0)).toEqual(COLUMNS);
    expect(columnsBefore(COLUMNS, steps, 2).map((c) => [c.name, c.type])).toEqual([
      ["part", "text"],
      ["price", "float"],
      ["stock", "integer"],
    ]);
    expect(columnsBefore(COLUMNS, steps, 4).map((c) => c.name)).toEqual(["kind", "size", "price"]);
  });

  it("keeps a date cast's format", () => {
    const steps: Step[] = [{ op: "cast", column: "price", type: "date", format: "%d/%m/%Y", on_error: "fail" }];
    expect(columnsBefore(COLUMNS, steps, 1)[1]).toEqual({ name: "price", type: "date", format: "%d/%m/%Y" });
  });
});

describe("newStep", () => {
  it("aims at the focused column, but only text steps at text columns", () => {
    const typed = [{ name: "stock", type: "integer", format: null }, ...COLUMNS.slice(0, 2)];
    expect(newStep("cast", typed, "stock")).toEqual({ op: "cast", column: "stock", type: "text", on_error: "fail" });
    expect(newStep("cast", COLUMNS, "price")).toMatchObject({ column: "price", type: "float" });
    expect(newStep("trim", typed, "stock")).toEqual({ op: "trim", columns: ["item"] });
    expect(newStep("filter", COLUMNS)).toEqual({
      op: "filter",
      filters: [{ column: "item", op: "isnull", value: false }],
    });
    expect(newStep("fill", COLUMNS, "stock")).toEqual({ op: "fill", column: "stock", value: "0" });
  });
});

describe("moveStep and parseSteps", () => {
  it("moves a step and ignores moves past either end", () => {
    const steps: Step[] = [
      { op: "trim", columns: ["a"] },
      { op: "dedupe", columns: null },
      { op: "drop", columns: ["b"] },
    ];
    expect(moveStep(steps, 2, 0).map((s) => s.op)).toEqual(["drop", "trim", "dedupe"]);
    expect(moveStep(steps, 0, -1)).toBe(steps);
    expect(moveStep(steps, 2, 3)).toBe(steps);
  });

  it("refuses steps with an unknown op", () => {
    expect(() => parseSteps([{ op: "explode" }])).toThrow(/steps\[0\]/);
    expect(() => parseSteps("nope")).toThrow(/"steps" must be a list/);
    expect(parseSteps([{ op: "trim", columns: ["a"] }])).toEqual([{ op: "trim", columns: ["a"] }]);
  });
});

describe("derive", () => {
  const columns = [
    { name: "item", type: "text", format: null },
    { name: "amount", type: "float", format: null },
  ];

  it("adds a text column computed from the row, or replaces the one it names", () => {
    const step = newStep("derive", columns, "amount");
    expect(step).toEqual({ op: "derive", column: "computed", expression: '"amount"' });
    expect(applyToColumns(columns, { ...step, column: "double" }).map((c) => [c.name, c.type])).toEqual([
      ["item", "text"],
      ["amount", "float"],
      ["double", "text"],
    ]);
    expect(applyToColumns(columns, { ...step, column: "amount" }).map((c) => [c.name, c.type])).toEqual([
      ["item", "text"],
      ["amount", "text"],
    ]);
  });
});
