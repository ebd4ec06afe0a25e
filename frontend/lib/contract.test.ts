import { describe, expect, it } from "vitest";
import {
  FILTER_OPS,
  FILTER_OP_LABELS,
  filterOpLabel,
  jobIdOf,
  opFitsType,
  opsFor,
  parseColumns,
  parseDashboard,
  parseFilters,
  parseJob,
  parseQueryAnswer,
  parseRowsAnswer,
} from "./contract";

describe("the API's vocabulary", () => {
  it("names every operator once, and each name differs", () => {
    expect(Object.keys(FILTER_OP_LABELS).sort()).toEqual([...FILTER_OPS].sort());
    expect(new Set(Object.values(FILTER_OP_LABELS)).size).toBe(FILTER_OPS.length);
    expect(FILTER_OP_LABELS.in).toBe("is one of");
    expect(filterOpLabel("gte")).toBe("≥");
    expect(filterOpLabel("between")).toBe("between");
  });

  it("offers text operators only for text columns, as the server accepts them", () => {
    expect(opsFor("text")).toContain("icontains");
    expect(opsFor("float")).not.toContain("icontains");
    expect(opsFor("float")).toContain("gte");
    expect(opsFor("boolean")).toEqual(["exact", "ne", "isnull"]);
    expect(opFitsType("startswith", "date")).toBe(false);
    expect(opFitsType("gte", "date")).toBe(true);
    for (const type of ["integer", "date", "boolean"]) {
      expect(opsFor(type).every((op) => opFitsType(op, type))).toBe(true);
    }
  });

  it("reads a schema's columns, refusing unknown types and repeated names", () => {
    expect(parseColumns([{ name: "größe (cm)", type: "float", nullable: true, format: null }])).toEqual([
      { name: "größe (cm)", type: "float", nullable: true },
    ]);
    expect(parseColumns([{ name: "a", type: "text" }])).toEqual([{ name: "a", type: "text" }]);
    expect(() => parseColumns([{ name: "a", type: "text", nullable: "yes" }])).toThrow(
      /nullable must be true or false/,
    );
    expect(() => parseColumns([{ name: "a", type: "decimal" }])).toThrow(/columns\[0\]\.type must be one of/);
    expect(() =>
      parseColumns([
        { name: "a", type: "text" },
        { name: "a", type: "text" },
      ]),
    ).toThrow(/listed twice/);
    expect(() => parseColumns([])).toThrow(/non-empty list/);
  });

  it("keeps the filters it can read and leaves out the others", () => {
    expect(
      parseFilters([
        { column: "city", op: "in", value: ["Oslo"] },
        { column: "date" },
        { column: "x", op: "between", value: 1 },
        "junk",
      ]),
    ).toEqual([
      { column: "city", op: "in", value: ["Oslo"] },
      { column: "date", op: "exact", value: null },
    ]);
    expect(() => parseFilters({ column: "a" })).toThrow(/must be a list/);
  });
});

describe("answers at the boundary", () => {
  it("reads a rows page from either rows endpoint, with or without next", () => {
    const dataset = parseRowsAnswer({
      columns: [{ name: "a", type: "integer" }],
      rows: [{ a: 1 }],
      total: 9,
      next: "/x?_cursor=1",
    });
    expect(dataset).toEqual({
      columns: [{ name: "a", type: "integer" }],
      rows: [{ a: 1 }],
      total: 9,
      next: "/x?_cursor=1",
    });
    const sql = parseRowsAnswer({ columns: [{ name: "n", type: "bigint" }], rows: [{ n: "1" }], total: 1 });
    expect(sql.next).toBeNull();
    expect(() => parseRowsAnswer({ rows: [] })).toThrow("The rows API answered in an unexpected form.");
    expect(() => parseRowsAnswer(null)).toThrow("The rows API answered in an unexpected form.");
  });

  it("reads an aggregate answer, naming a column without a type text", () => {
    expect(parseQueryAnswer({ columns: [{ name: "count" }], rows: [{ count: 3 }, null] })).toEqual({
      columns: [{ name: "count", type: "text" }],
      rows: [{ count: 3 }],
    });
    expect(() => parseQueryAnswer({ columns: [] })).toThrow("The answer has no columns and rows.");
  });

  it("reads a job, keeping its progress within 0..1, and refuses an unknown status", () => {
    const job = parseJob({
      id: "j1",
      kind: "ingest",
      status: "running",
      progress: 1.2,
      stage: "Parsing",
      message: "",
      error: "",
    });
    expect(job).toMatchObject({
      id: "j1",
      status: "running",
      progress: 1,
      stage: "Parsing",
      result: null,
      created_at: null,
    });
    expect(() => parseJob({ id: "j1", status: "paused" })).toThrow(/status/);
    expect(() => parseJob({ status: "queued" })).toThrow(/"id"/);
    expect(jobIdOf({ job: { id: "j2", status: "queued" } })).toBe("j2");
    expect(() => jobIdOf({ version: 1 })).toThrow("The server's answer named no job to follow.");
  });

  it("reads a dashboard as the serializer writes it", () => {
    const dashboard = parseDashboard({
      id: "d1",
      workspace: "acme",
      slug: "ops",
      title: "Ops",
      filters: [{ column: "date", op: "gte", value: "2024-01-01" }],
      tiles: [
        { id: 3, kind: "chart", chart: "c1", x: 0, y: 0, w: 6, h: 5 },
        { id: 4, chart: "", text: "Hi", x: 6, y: 0, w: 0, h: 2 },
      ],
      page_url: "/w/acme/dashboards/ops/",
      created_at: "2025-01-01T00:00:00Z",
    });
    expect(dashboard.tiles).toEqual([
      { id: 3, chart: "c1", text: "", x: 0, y: 0, w: 6, h: 5 },
      { id: 4, chart: null, text: "Hi", x: 6, y: 0, w: 1, h: 2 },
    ]);
    expect(dashboard).toMatchObject({ description: "", filters: [{ column: "date", op: "gte", value: "2024-01-01" }] });
    expect(() => parseDashboard({ tiles: {} })).toThrow(/"tiles" must be a list/);
  });
});
