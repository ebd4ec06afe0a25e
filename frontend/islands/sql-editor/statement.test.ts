import { describe, expect, it } from "vitest";
import { errorRange, statementAt } from "./statement";

const TEXT = "SELECT 1;\nSELECT ';' AS x -- ; not here\n;  \nSELECT 'it''s; fine' /* ; */";

function textAt(cursor: number): string {
  const span = statementAt(TEXT, cursor);
  return TEXT.slice(span.from, span.to);
}

describe("statementAt", () => {
  it("finds the statement around the cursor, ignoring semicolons in strings and comments", () => {
    expect(textAt(3)).toBe("SELECT 1");
    expect(textAt(TEXT.indexOf("AS x"))).toBe("SELECT ';' AS x -- ; not here");
    expect(textAt(TEXT.length)).toBe("SELECT 'it''s; fine' /* ; */");
  });

  it("runs the selection when there is one", () => {
    const from = TEXT.indexOf("SELECT ';'");
    expect(statementAt(TEXT, 0, { from, to: from + 10 })).toEqual({ from, to: from + 10 });
  });

  it("means the last statement when the cursor sits after its semicolon", () => {
    expect(statementAt("SELECT 2;\n", 10)).toEqual({ from: 0, to: 8 });
  });
});

describe("errorRange", () => {
  it("maps a refusal's offsets into the document", () => {
    expect(errorRange("SELECT getenv('x')", 10, { start: 7, end: 12 }, 100)).toEqual({ from: 17, to: 23 });
  });

  it("falls back to line and column", () => {
    expect(errorRange("SELECT 1,\n  nope", 0, { line: 2, column: 3 }, 100)).toEqual({ from: 12, to: 13 });
  });

  it("gives nothing without a position", () => {
    expect(errorRange("SELECT ?", 0, {}, 100)).toBeNull();
  });
});
