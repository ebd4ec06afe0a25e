import { describe, expect, it } from "vitest";
import { parseGridProps } from "./props";

const VALID = {
  rowsUrl: "/api/v1/datasets/5b0e7a52-3c1d-4e8f-9a6b-2d4c8e1f0a37/versions/3/rows/",
  exportUrl: "/api/v1/datasets/5b0e7a52-3c1d-4e8f-9a6b-2d4c8e1f0a37/versions/3/export/",
  columns: [
    { name: "date", type: "date" },
    { name: "temp max", type: "float" },
  ],
  total: 10_000_000,
  pageSize: 200,
};

describe("parseGridProps", () => {
  it("accepts the props grid_props builds", () => {
    expect(parseGridProps(VALID)).toEqual(VALID);
  });

  it("defaults the page size to 200", () => {
    const { pageSize: _omitted, ...rest } = VALID;
    expect(parseGridProps(rest).pageSize).toBe(200);
  });

  it.each([
    [{ ...VALID, rowsUrl: "" }, /rowsUrl/],
    [{ ...VALID, columns: [] }, /columns/],
    [{ ...VALID, columns: [{ name: "x", type: "decimal" }] }, /type must be one of/],
    [
      {
        ...VALID,
        columns: [
          { name: "x", type: "text" },
          { name: "x", type: "text" },
        ],
      },
      /listed twice/,
    ],
    [{ ...VALID, total: -1 }, /total/],
    [{ ...VALID, total: "10" }, /total/],
    [{ ...VALID, pageSize: 5000 }, /pageSize/],
    [{ ...VALID, pageSize: 2.5 }, /pageSize/],
    [[], /JSON object/],
  ])("refuses %j", (raw, message) => {
    expect(() => parseGridProps(raw)).toThrow(message);
  });
});
