import { parseColumns, type Column } from "../../lib/contract";
import { expectObject, expectString, optionalPositiveNumber, PropsError } from "../../lib/validate";

export interface GridProps {
  /** GET .../versions/<n>/rows/: one page of rows, filtered and sorted, with the filtered total. */
  rowsUrl: string;
  /** GET .../versions/<n>/export/: the same filters, sort and columns as a file. */
  exportUrl: string;
  columns: Column[];
  /** Rows in the version, unfiltered. */
  total: number;
  /** Rows per request; the rows API takes at most 1000. */
  pageSize: number;
}

const MAX_PAGE_SIZE = 1000;
const DEFAULT_PAGE_SIZE = 200;

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
