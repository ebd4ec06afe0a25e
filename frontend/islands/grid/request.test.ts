import { describe, expect, it } from "vitest";
import {
  BOOLEAN_OP,
  CONTAINS_OP,
  filterKind,
  isValidFilterText,
  NULL_OP,
  RANGE_OPS,
} from "../../components/grid/filters";
import { nextSort, setCondition, type FilterCondition } from "../../components/grid/state";
import type { Column } from "../../lib/contract";
import {
  decodeSort,
  encodeSort,
  exportViewUrl,
  filterParam,
  queryParams,
  rowsPageUrl,
  type RowsQuery,
} from "./request";

const ROWS_URL = "/api/v1/datasets/5b0e7a52-3c1d-4e8f-9a6b-2d4c8e1f0a37/versions/3/rows/";
const EXPORT_URL = "/api/v1/datasets/5b0e7a52-3c1d-4e8f-9a6b-2d4c8e1f0a37/versions/3/export/";

const COLUMNS: Column[] = [
  { name: "date", type: "date" },
  { name: "temp max", type: "float" },
  { name: "weather", type: "text" },
  { name: "station", type: "text" },
  { name: "rainy", type: "boolean" },
  { name: "seen at", type: "timestamp" },
  { name: "id", type: "bigint" },
];

function query(overrides: Partial<RowsQuery> = {}): RowsQuery {
  return { columns: COLUMNS, sort: [], filters: [], hidden: [], ...overrides };
}

function paramsOf(url: string): URLSearchParams {
  return new URL(url, "http://testserver").searchParams;
}

describe("rows requests", () => {
  it("asks for one page by offset and size, with nothing else for a plain view", () => {
    const url = rowsPageUrl(ROWS_URL, query(), 4000, 200);

    expect(url.startsWith(`${ROWS_URL}?`)).toBe(true);
    expect([...paramsOf(url)]).toEqual([
      ["_size", "200"],
      ["_offset", "4000"],
    ]);
  });

  it("sends a multi-column sort in order with - for descending", () => {
    const sort = nextSort(nextSort([], "temp max", false), "date", true);
    const descending = nextSort(sort, "temp max", true);

    expect(paramsOf(rowsPageUrl(ROWS_URL, query({ sort: descending }), 0, 200)).get("_sort")).toBe("-temp max,date");
  });

  it("turns each column type's filter control into its operator", () => {
    let filters: FilterCondition[] = [];
    filters = setCondition(filters, "temp max", RANGE_OPS.min, "-3.5");
    filters = setCondition(filters, "temp max", RANGE_OPS.max, "30");
    filters = setCondition(filters, "date", RANGE_OPS.min, "2024-01-01");
    filters = setCondition(filters, "seen at", RANGE_OPS.max, "2024-01-31T13:45");
    filters = setCondition(filters, "weather", CONTAINS_OP, "rain");
    filters = setCondition(filters, "rainy", BOOLEAN_OP, "false");
    filters = setCondition(filters, "station", NULL_OP, "true");
    filters = setCondition(filters, "id", NULL_OP, "false");

    const params = paramsOf(rowsPageUrl(ROWS_URL, query({ filters }), 0, 200));

    expect(params.get("temp max__gte")).toBe("-3.5");
    expect(params.get("temp max__lte")).toBe("30");
    expect(params.get("date__gte")).toBe("2024-01-01");
    expect(params.get("seen at__lte")).toBe("2024-01-31T13:45");
    expect(params.get("weather__icontains")).toBe("rain");
    expect(params.get("rainy")).toBe("false");
    expect(params.get("station__isnull")).toBe("true");
    expect(params.get("id__isnull")).toBe("false");
  });

  it("picks controls by type and refuses half-typed values before they reach the server", () => {
    expect(COLUMNS.map((column) => filterKind(column.type))).toEqual([
      "period",
      "range",
      "contains",
      "contains",
      "boolean",
      "period",
      "range",
    ]);
    expect(isValidFilterText("float", "-3.5e2")).toBe(true);
    expect(isValidFilterText("float", "-")).toBe(false);
    expect(isValidFilterText("bigint", "12345678901234567890")).toBe(true);
    expect(isValidFilterText("integer", "1.5")).toBe(false);
    expect(isValidFilterText("date", "2024-01")).toBe(false);
    expect(isValidFilterText("timestamp", "2024-01-31 13:45:00")).toBe(true);
    expect(isValidFilterText("text", "anything, at all")).toBe(true);
  });

  it("percent-encodes names and values (spaces, &, =, unicode)", () => {
    const filters: FilterCondition[] = [{ column: "weather", op: "icontains", value: "rain & snow=größe" }];
    const url = rowsPageUrl(ROWS_URL, query({ filters }), 0, 200);

    expect(url).toContain("weather__icontains=rain+%26+snow%3Dgr%C3%B6%C3%9Fe");
    expect(paramsOf(url).get("weather__icontains")).toBe("rain & snow=größe");
  });

  it("lists only the shown columns in _cols, and none when every column is shown", () => {
    expect(paramsOf(rowsPageUrl(ROWS_URL, query(), 0, 200)).has("_cols")).toBe(false);
    const params = paramsOf(rowsPageUrl(ROWS_URL, query({ hidden: ["station", "rainy"] }), 0, 200));
    expect(params.get("_cols")).toBe("date,temp max,weather,seen at,id");
  });

  it("points the download at the export with the same filters, sort and columns, as CSV, without paging", () => {
    const view = query({
      sort: [{ column: "date", desc: true }],
      filters: [{ column: "weather", op: "icontains", value: "rain" }],
      hidden: ["station"],
    });
    const url = exportViewUrl(EXPORT_URL, view);
    const params = paramsOf(url);

    expect(url.startsWith(`${EXPORT_URL}?`)).toBe(true);
    expect(params.get("format")).toBe("csv");
    expect(params.get("_sort")).toBe("-date");
    expect(params.get("weather__icontains")).toBe("rain");
    expect(params.get("_cols")).toBe("date,temp max,weather,rainy,seen at,id");
    expect(params.has("_offset")).toBe(false);
    expect(params.has("_size")).toBe(false);
  });
});

describe("filterParam", () => {
  const names = new Set(["a", "a__gte", "a__b", "_sort", "_id", "format", "x"]);

  it("uses the plain forms the server reads back as the same filter", () => {
    expect(filterParam("x", "exact", "1", names)).toEqual(["x", "1"]);
    expect(filterParam("x", "gte", "1", names)).toEqual(["x__gte", "1"]);
    // The server splits at the last "__", so a name holding "__" is fine with an operator.
    expect(filterParam("a__b", "lt", "3", names)).toEqual(["a__b__lt", "3"]);
    // The whole name is tried as a column first, so a__gte=1 means exact on the column "a__gte".
    expect(filterParam("a__gte", "exact", "1", names)).toEqual(["a__gte", "1"]);
  });

  it("falls back to the _filters escape form where the plain name would be misread", () => {
    // "a__gte" is a column of its own: a__gte=1 would filter it, not "a >= 1".
    expect(filterParam("a", "gte", "1", names)).toEqual([
      "_filters",
      JSON.stringify({ column: "a", op: "gte", value: "1" }),
    ]);
    // Names starting with "_" are the engine's parameters (or may become one).
    expect(filterParam("_sort", "exact", "3", names)).toEqual([
      "_filters",
      '{"column":"_sort","op":"exact","value":"3"}',
    ]);
    expect(filterParam("_id", "isnull", "true", names)).toEqual([
      "_filters",
      '{"column":"_id","op":"isnull","value":"true"}',
    ]);
    // The export reads "format" itself.
    expect(filterParam("format", "exact", "csv", names)[0]).toBe("_filters");
  });

  it("sends escaped in-lists as JSON lists", () => {
    expect(filterParam("_id", "in", "1,2", names)).toEqual([
      "_filters",
      '{"column":"_id","op":"in","value":["1","2"]}',
    ]);
  });

  it("is what queryParams uses for every filter", () => {
    const params = queryParams({
      columns: [...names].map((name) => ({ name, type: "integer" as const })),
      sort: [],
      hidden: [],
      filters: [
        { column: "a", op: "gte", value: "1" },
        { column: "_id", op: "lte", value: "9" },
        { column: "x", op: "exact", value: "2" },
      ],
    });

    expect(params.getAll("_filters").map((raw) => JSON.parse(raw))).toEqual([
      { column: "a", op: "gte", value: "1" },
      { column: "_id", op: "lte", value: "9" },
    ]);
    expect(params.get("x")).toBe("2");
  });
});

describe("sort encoding", () => {
  it("cycles a header through ascending, descending and none; shift adds a key", () => {
    let sort = nextSort([], "date", false);
    expect(sort).toEqual([{ column: "date", desc: false }]);
    sort = nextSort(sort, "date", false);
    expect(sort).toEqual([{ column: "date", desc: true }]);
    expect(nextSort(sort, "date", false)).toEqual([]);

    sort = nextSort(sort, "temp max", true);
    expect(sort).toEqual([
      { column: "date", desc: true },
      { column: "temp max", desc: false },
    ]);
    expect(nextSort(sort, "date", true)).toEqual([{ column: "temp max", desc: false }]);
    // A plain click sorts by that column alone.
    expect(nextSort(sort, "temp max", false)).toEqual([{ column: "temp max", desc: true }]);
  });

  it("round-trips names with commas and leading minus signs through the JSON form", () => {
    const sort = [
      { column: "Revenue, USD", desc: true },
      { column: "-x", desc: false },
      { column: "plain", desc: true },
    ];
    expect(decodeSort(encodeSort(sort))).toEqual(sort);
    expect(encodeSort([{ column: "plain", desc: true }])).toBe("-plain");
    expect(decodeSort("a,-b")).toEqual([
      { column: "a", desc: false },
      { column: "b", desc: true },
    ]);
  });
});
