// A result's rows as a table. The data source is a page-by-offset function, so a synchronous answer (one
// page) and an async result (paged from the server) read the same way.
import { useEffect, useState } from "react";
import { errorMessage } from "../../lib/api";

export interface ResultColumn {
  name: string;
  type: string;
}

export interface ResultPage {
  columns: ResultColumn[];
  rows: Record<string, unknown>[];
  total: number;
}

export type PageSource = (offset: number, size: number) => Promise<ResultPage>;

const NUMERIC = new Set(["integer", "bigint", "float"]);

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

export function ResultsTable({ source, pageSize = 100 }: { source: PageSource; pageSize?: number }) {
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<ResultPage | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => setOffset(0), [source]);
  useEffect(() => {
    let live = true;
    setError(null);
    source(offset, pageSize).then(
      (answer) => live && setPage(answer),
      (failure) => live && setError(errorMessage(failure)),
    );
    return () => {
      live = false;
    };
  }, [source, offset, pageSize]);

  if (error) return <p className="alert alert-error" role="alert">{error}</p>;
  if (!page) return <p className="muted">Loading rows…</p>;
  const last = Math.min(offset + page.rows.length, page.total);
  return (
    <div className="stack">
      <div className="preview">
        <table className="table data sql-results" aria-label="Query results">
          <thead>
            <tr>
              {page.columns.map((column) => (
                <th key={column.name} className={NUMERIC.has(column.type) ? "num" : undefined} title={column.type}>
                  {column.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {page.rows.map((row, index) => (
              <tr key={offset + index}>
                {page.columns.map((column) => (
                  <td key={column.name} className={NUMERIC.has(column.type) ? "num" : undefined}>
                    {cell(row[column.name])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page.total > pageSize && (
        <div className="row">
          <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - pageSize))}>
            Previous
          </button>
          <span className="muted small">
            Rows {page.total === 0 ? 0 : offset + 1}–{last} of {page.total.toLocaleString()}
          </span>
          <button type="button" className="btn btn-small" disabled={last >= page.total} onClick={() => setOffset(offset + pageSize)}>
            Next
          </button>
        </div>
      )}
    </div>
  );
}
