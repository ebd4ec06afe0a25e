import { useId, useState } from "react";
import { BUCKETS, CHART_TYPES, isNumericType, isTemporalType, type Bucket, type ChartType } from "../../lib/contract";
import type { ProfileColumn } from "./props";
import {
  changeChartType,
  changeX,
  columnType,
  isRawScatter,
  outputNames,
  RAW_POINTS_LIMIT,
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
            <BinWidthField
              key={state.x}
              id={`${id}-bin`}
              width={state.binWidth}
              onChange={(binWidth) => onChange({ ...state, binWidth })}
            />
          ) : null}
        </div>
      ) : null}

      {state.chartType === "scatter" ? (
        <>
          <label className="chart-builder-check">
            <input
              type="checkbox"
              checked={state.raw}
              onChange={(event) => {
                const y = state.y ?? columns.find((c) => isNumericType(c.type) && c.name !== state.x)?.name ?? null;
                onChange({ ...state, raw: event.target.checked, y });
              }}
            />{" "}
            Raw points (no aggregation)
          </label>
          {isRawScatter(state) ? (
            <div className="field">
              <label htmlFor={`${id}-y`}>Y axis</label>
              <select
                id={`${id}-y`}
                className="select"
                value={state.y ?? ""}
                onChange={(event) => onChange({ ...state, y: event.target.value || null })}
              >
                <option value="">(none)</option>
                {columns
                  .filter(
                    (column) => column.name !== state.x && (isNumericType(column.type) || isTemporalType(column.type)),
                  )
                  .map((column) => (
                    <option key={column.name} value={column.name}>
                      {column.name}
                    </option>
                  ))}
              </select>
              <p className="muted small">
                Each distinct (x, y) pair is drawn once, up to {RAW_POINTS_LIMIT.toLocaleString("en-US")} points.
              </p>
            </div>
          ) : null}
        </>
      ) : null}

      {usesSeries(state.chartType) && !isRawScatter(state) ? (
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

/** The histogram's bin width as typed: a number above 0, else a message and the chart keeps its last width. */
function BinWidthField({
  id,
  width,
  onChange,
}: {
  id: string;
  width: number | null;
  onChange: (width: number) => void;
}) {
  const [text, setText] = useState(width === null ? "" : String(width));
  const value = Number(text);
  const error = text.trim() === "" || !Number.isFinite(value) || value <= 0 ? "Give a bin width above 0." : null;
  return (
    <div className={`field chart-builder-narrow${error ? " field-invalid" : ""}`}>
      <label htmlFor={id}>Bin width</label>
      <input
        id={id}
        className="input"
        type="number"
        min="0"
        step="any"
        value={text}
        aria-invalid={error !== null}
        aria-describedby={error !== null ? `${id}-error` : undefined}
        onChange={(event) => {
          setText(event.target.value);
          const next = Number(event.target.value);
          if (event.target.value.trim() !== "" && Number.isFinite(next) && next > 0) onChange(next);
        }}
      />
      {error !== null ? (
        <p className="field-error small" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Order by an output column, and the row limit. */
export function OrderControls({ state, columns, onChange }: Props) {
  const id = useId();
  const outputs = outputNames(state, columns);
  const orderBy = state.orderBy !== null && outputs.includes(state.orderBy) ? state.orderBy : "";
  return (
    <>
      <div className="row chart-builder-pair">
        <div className="field grow">
          <label htmlFor={`${id}-order`}>Order by</label>
          <select
            id={`${id}-order`}
            className="select"
            value={orderBy}
            onChange={(event) => onChange({ ...state, orderBy: event.target.value || null })}
          >
            <option value="">Default order</option>
            {outputs.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
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
      <label className="chart-builder-check" title={orderBy === "" ? "Choose a column to order by first" : undefined}>
        <input
          type="checkbox"
          checked={state.orderDesc}
          disabled={orderBy === ""}
          onChange={(event) => onChange({ ...state, orderDesc: event.target.checked })}
        />{" "}
        Descending
      </label>
    </>
  );
}
