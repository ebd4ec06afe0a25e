// A result's rows in the shared DataGrid (the dataset page's grid): a synchronous answer is read from
// memory, an async result page by page from GET /api/v1/sql/results/{job_id}/rows/ (`_size`, `_offset`).
import { useMemo, type ReactNode } from "react";
import { DataGrid } from "../../components/grid/DataGrid";
import { offsetRowsSource } from "../../components/grid/offsetRows";
import type { RowSource } from "../../components/grid/useRowPages";
import { type Column, type Row, parseColumns } from "../../lib/contract";

const PAGE_SIZE = 100;
let answers = 0;

/** Rows already in hand, served to the grid as pages; each answer is rows of its own (a new key). */
export function memoryRowsSource(rows: Row[]): RowSource {
  answers += 1;
  const key = `answer-${answers}`;
  return { key, fetchPage: async (offset, size) => ({ rows: rows.slice(offset, offset + size), total: rows.length }) };
}

interface ResultGridProps {
  columns: unknown;
  /** The answer's rows, or the URL of an async result's rows. */
  rows: Row[] | string;
  total: number;
  actions?: ReactNode;
}

export function ResultGrid({ columns, rows, total, actions }: ResultGridProps) {
  const parsed: Column[] = useMemo(() => parseColumns(columns, "result columns"), [columns]);
  const source = useMemo(() => (typeof rows === "string" ? offsetRowsSource(rows) : memoryRowsSource(rows)), [rows]);
  return (
    <DataGrid
      columns={parsed}
      source={source}
      pageSize={PAGE_SIZE}
      total={total}
      label="Query results"
      emptyText="The statement answered no rows."
      actions={actions}
    />
  );
}
