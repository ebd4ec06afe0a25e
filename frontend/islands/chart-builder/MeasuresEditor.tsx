import { MEASURE_FUNCTIONS, type MeasureFn } from "../../lib/contract";
import type { ProfileColumn } from "./props";
import { changeMeasureFn, measureColumnsFor, nextMeasure, type MeasureState } from "./state";

export const FUNCTION_LABELS: Record<MeasureFn, string> = {
  count: "Count",
  count_distinct: "Count distinct",
  sum: "Sum",
  avg: "Average",
  min: "Min",
  max: "Max",
  median: "Median",
};

interface Props {
  measures: MeasureState[];
  columns: ProfileColumn[];
  onChange: (measures: MeasureState[]) => void;
}

/** Measure rows: a function and the column it reads (count may read none: it counts rows). */
export function MeasuresEditor({ measures, columns, onChange }: Props) {
  function update(index: number, measure: MeasureState) {
    onChange(measures.map((m, i) => (i === index ? measure : m)));
  }

  return (
    <fieldset className="island-fieldset stack chart-builder-group">
      <legend>Measures</legend>
      {measures.map((measure, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a measure has no id; the state updates address it by position.
        <div className="chart-builder-item chart-builder-measure" key={index} data-testid="measure-row">
          <select
            className="select chart-builder-fn"
            aria-label="Function"
            value={measure.fn}
            onChange={(event) => update(index, changeMeasureFn(measure, event.target.value as MeasureFn, columns))}
          >
            {MEASURE_FUNCTIONS.map((fn) => (
              <option key={fn} value={fn}>
                {FUNCTION_LABELS[fn]}
              </option>
            ))}
          </select>
          <select
            className="select chart-builder-column"
            aria-label="Column"
            title={measure.column ?? "all rows"}
            value={measure.column ?? ""}
            onChange={(event) => update(index, { fn: measure.fn, column: event.target.value || null })}
          >
            {measure.fn === "count" ? <option value="">(all rows)</option> : null}
            {measureColumnsFor(measure.fn, columns).map((column) => (
              <option key={column.name} value={column.name}>
                {column.name}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="btn btn-small btn-danger chart-builder-remove"
            aria-label={`Remove measure ${index + 1}`}
            title={measures.length <= 1 ? "A chart needs at least one measure" : "Remove this measure"}
            disabled={measures.length <= 1}
            onClick={() => onChange(measures.filter((_, i) => i !== index))}
          >
            <span aria-hidden="true">×</span>
          </button>
        </div>
      ))}
      <div>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => onChange([...measures, nextMeasure(measures, columns)])}
        >
          Add measure
        </button>
      </div>
    </fieldset>
  );
}
