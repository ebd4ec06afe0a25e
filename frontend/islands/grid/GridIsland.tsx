// A dataset version's rows: the shared DataGrid, with server-side sort and filters, hidden columns and an
// export of the view, all kept in the page's address.
import { useMemo } from "react";
import { ColumnsMenu } from "../../components/grid/ColumnsMenu";
import { DataGrid } from "../../components/grid/DataGrid";
import { offsetRowsSource } from "../../components/grid/offsetRows";
import { visibleColumns } from "../../components/grid/state";
import { countText } from "../../components/grid/values";
import type { GridProps } from "./props";
import { exportViewUrl, queryParams, type RowsQuery } from "./request";
import { useGridUrlState } from "./useGridUrlState";

export function GridIsland({ rowsUrl, exportUrl, columns, total, pageSize }: GridProps) {
  const { view, setFirstRow, onSort, onResize, onFilter, onHide, clearFilters } = useGridUrlState(columns);
  const { sort, filters, hidden } = view;
  const shown = useMemo(() => visibleColumns(columns, hidden), [columns, hidden]);
  const query = useMemo<RowsQuery>(() => ({ columns, sort, filters, hidden }), [columns, sort, filters, hidden]);
  const source = useMemo(() => offsetRowsSource(rowsUrl, queryParams(query)), [rowsUrl, query]);
  const isFiltered = filters.length > 0;

  return (
    <DataGrid
      columns={shown}
      source={source}
      pageSize={pageSize}
      total={total}
      widths={view.widths}
      initialRow={view.row}
      orderKey={JSON.stringify([sort, filters])}
      onFirstRowChange={setFirstRow}
      countText={(knownTotal) => countText(knownTotal, total, isFiltered)}
      emptyText="No rows match these filters."
      sort={sort}
      filters={filters}
      onSort={onSort}
      onResize={onResize}
      onFilter={onFilter}
      actions={
        <>
          {isFiltered ? (
            <button type="button" className="btn btn-small" onClick={clearFilters}>
              Clear filters
            </button>
          ) : null}
          <ColumnsMenu columns={columns} hidden={hidden} onChange={onHide} />
          <a className="btn btn-small" href={exportViewUrl(exportUrl, query)}>
            Download this view
          </a>
        </>
      }
    />
  );
}
