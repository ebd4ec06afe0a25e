import { useId } from "react";
import { BUCKETS, CHART_TYPES, isNumericType, isTemporalType, type Bucket, type ChartType } from "../../lib/contract";
import type { ProfileColumn } from "./props";
import {
  changeChartType,
  changeX,
  columnType,
  outputNames,
  usesSeries,
  usesX,
  xColumnsFor,
  type BuilderState,
} from "./state";

export const CHART_TYPE_LABELS: Record<ChartType, string> = {
  bar: "Bar",
  line: "Line",
  area: "Area",
  scatter: "Scatter",
  pie: "Pie",
  histogram: "Histogram",
  kpi: "KPI number",
  table: "Table",
};

const BUCKET_LABELS: Record<Bucket, string> = {
  day: "Day",
  week: "Week",
  month: "Month",
  quarter: "Quarter",
  year: "Year",
};

interface Props {
  state: BuilderState;
  columns: ProfileColumn[];
  onChange: (state: BuilderState) => void;
}

/** Chart type, x axis (with its bucket or bin width), series, stacking and orientation. */
export function ChartControls({ state, columns, onChange }: Props) {
  const id = useId();
  const xType = columnType(columns, state.x);
  const canStack = ["bar", "line", "area"].includes(state.chartType);
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-type`}>Chart type</label>
        <select
          id={`${id}-type`}
          className="select"
          value={state.chartType}
          onChange={(event) => onChange(changeChartType(state, event.target.value as ChartType, columns))}
        >
          {CHART_TYPES.map((type) => (
            <option key={type} value={type}>
              {CHART_TYPE_LABELS[type]}
            </option>
          ))}
        </select>
      </div>

      {usesX(state.chartType) ? (
        <div className="row chart-builder-pair">
          <div className="field grow">
            <label htmlFor={`${id}-x`}>X axis</label>
            <select
              id={`${id}-x`}
              className="select"
              value={state.x ?? ""}
              onChange={(event) => onChange(changeX(state, event.target.value || null, columns))}
            >
              <option value="">(none)</option>
              {xColumnsFor(state.chartType, columns).map((column) => (
                <option key={column.name} value={column.name}>
                  {column.name}
                </option>
              ))}
            </select>
          </div>
          {isTemporalType(xType) ? (
            <div className="field chart-builder-narrow">
              <label htmlFor={`${id}-bucket`}>Bucket</label>
              <select
                id={`${id}-bucket`}
                className="select"
                value={state.bucket}
                onChange={(event) => onChange({ ...state, bucket: event.target.value as Bucket })}
              >
                {BUCKETS.map((bucket) => (
                  <option key={bucket} value={bucket}>
                    {BUCKET_LABELS[bucket]}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          {state.chartType === "histogram" && isNumericType(xType) ? (
            <div className="field chart-builder-narrow">
              <label htmlFor={`${id}-bin`}>Bin width</label>
              <input
                id={`${id}-bin`}
                className="input"
                type="number"
                min="0"
                step="any"
                value={state.binWidth ?? ""}
                onChange={(event) => {
                  const width = Number(event.target.value);
                  onChange({ ...state, binWidth: event.target.value !== "" && width > 0 ? width : null });
                }}
              />
            </div>
          ) : null}
        </div>
      ) : null}

      {usesSeries(state.chartType) ? (
        <div className="field">
          <label htmlFor={`${id}-series`}>Series</label>
          <select
            id={`${id}-series`}
            className="select"
            value={state.series ?? ""}
            onChange={(event) => onChange({ ...state, series: event.target.value || null })}
          >
            <option value="">(none)</option>
            {columns
              .filter((column) => column.name !== state.x)
              .map((column) => (
                <option key={column.name} value={column.name}>
                  {column.name}
                </option>
              ))}
          </select>
        </div>
      ) : null}

      {canStack || state.chartType === "bar" ? (
        <div className="row">
          {canStack ? (
            <label className="chart-builder-check">
              <input
                type="checkbox"
                checked={state.stacked}
                onChange={(event) => onChange({ ...state, stacked: event.target.checked })}
              />{" "}
              Stacked
            </label>
          ) : null}
          {state.chartType === "bar" ? (
            <label className="chart-builder-check">
              <input
                type="checkbox"
                checked={state.horizontal}
                onChange={(event) => onChange({ ...state, horizontal: event.target.checked })}
              />{" "}
              Horizontal
            </label>
          ) : null}
        </div>
      ) : null}
    </>
  );
}

/** Order by an output column, and the row limit. */
export function OrderControls({ state, columns, onChange }: Props) {
  const id = useId();
  const outputs = outputNames(state, columns);
  const orderBy = state.orderBy !== null && outputs.includes(state.orderBy) ? state.orderBy : "";
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-order`}>Order by</label>
        <select
          id={`${id}-order`}
          className="select"
          value={orderBy}
          onChange={(event) => onChange({ ...state, orderBy: event.target.value || null })}
        >
          <option value="">Default (groups ascending)</option>
          {outputs.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <div className="row chart-builder-pair">
        <label className="chart-builder-check grow">
          <input
            type="checkbox"
            checked={state.orderDesc}
            disabled={orderBy === ""}
            onChange={(event) => onChange({ ...state, orderDesc: event.target.checked })}
          />{" "}
          Descending
        </label>
        <div className="field chart-builder-narrow">
          <label htmlFor={`${id}-limit`}>Limit</label>
          <input
            id={`${id}-limit`}
            className="input"
            type="number"
            min="1"
            max="10000"
            value={state.limit}
            onChange={(event) => onChange({ ...state, limit: Number(event.target.value) || 0 })}
          />
        </div>
      </div>
    </>
  );
}
