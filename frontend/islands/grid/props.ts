import { expectObject, expectString, optionalPositiveNumber, PropsError } from "../../lib/validate";

export const COLUMN_TYPES = ["integer", "bigint", "float", "boolean", "date", "timestamp", "text"] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export interface GridColumn {
  name: string;
  type: ColumnType;
}

export interface GridProps {
  /** GET .../versions/<n>/rows/: one page of rows, filtered and sorted, with the filtered total. */
  rowsUrl: string;
  /** GET .../versions/<n>/export/: the same filters, sort and columns as a file. */
  exportUrl: string;
  columns: GridColumn[];
  /** Rows in the version, unfiltered. */
  total: number;
  /** Rows per request; the rows API takes at most 1000. */
  pageSize: number;
}

const MAX_PAGE_SIZE = 1000;
const DEFAULT_PAGE_SIZE = 200;

function isColumnType(value: unknown): value is ColumnType {
  return typeof value === "string" && (COLUMN_TYPES as readonly string[]).includes(value);
}

function parseColumns(raw: unknown): GridColumn[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new PropsError(`"columns" must be a non-empty list`);
  const seen = new Set<string>();
  return raw.map((item, index) => {
    const column = expectObject(item, `columns[${index}]`);
    // A column name may be anything but empty: spaces, unicode, "__", a leading "_".
    const name = expectString(column, "name");
    if (seen.has(name)) throw new PropsError(`columns[${index}]: "${name}" is listed twice`);
    seen.add(name);
    if (!isColumnType(column.type)) {
      throw new PropsError(`columns[${index}].type must be one of ${COLUMN_TYPES.join(", ")}`);
    }
    return { name, type: column.type };
  });
}

function parseTotal(raw: unknown): number {
  if (typeof raw !== "number" || !Number.isInteger(raw) || raw < 0) {
    throw new PropsError(`"total" must be a whole number of rows, 0 or more`);
  }
  return raw;
}

// built by apps.datasets.islands.grid_props (dataset page and version page)
export function parseGridProps(raw: unknown): GridProps {
  const obj = expectObject(raw, "grid props");
  const pageSize = optionalPositiveNumber(obj, "pageSize", DEFAULT_PAGE_SIZE);
  if (!Number.isInteger(pageSize) || pageSize > MAX_PAGE_SIZE) {
    throw new PropsError(`"pageSize" must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  return {
    rowsUrl: expectString(obj, "rowsUrl"),
    exportUrl: expectString(obj, "exportUrl"),
    columns: parseColumns(obj.columns),
    total: parseTotal(obj.total),
    pageSize,
  };
}
