import { FILTER_OP_LABELS, opsFor, type FilterOp } from "../../lib/contract";
import type { ProfileColumn } from "./props";
import { isValidFilterValue, type FilterState } from "./filterValues";
import { columnType } from "./state";

interface ValueInputProps {
  type: string | undefined;
  filter: FilterState;
  onChange: (value: string) => void;
}

/** The value input fits the column type: a number, true/false, dates and times typed in ISO, or text. */
function FilterValueInput({ type, filter, onChange }: ValueInputProps) {
  if (filter.op === "isnull") {
    return (
      <select
        className="select"
        aria-label="Value"
        value={filter.value === "false" ? "false" : "true"}
        onChange={(e) => onChange(e.target.value)}
      >
        <option value="true">is empty</option>
        <option value="false">is not empty</option>
      </select>
    );
  }
  if (type === "boolean") {
    return (
      <select className="select" aria-label="Value" value={filter.value} onChange={(e) => onChange(e.target.value)}>
        <option value="">—</option>
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  }
  const isNumber = type === "integer" || type === "bigint" || type === "float";
  const single = filter.op !== "in";
  const valid = isValidFilterValue(type, filter.op, filter.value);
  let placeholder: string | undefined = filter.op === "in" ? "a, b, c" : undefined;
  if (single && type === "date") placeholder = "2024-01-31";
  else if (single && type === "timestamp") placeholder = "2024-01-31T08:00";
  return (
    <input
      className="input chart-builder-value"
      aria-label="Value"
      type={single && isNumber ? "number" : "text"}
      step={single && isNumber ? "any" : undefined}
      placeholder={placeholder}
      aria-invalid={valid ? undefined : true}
      title={
        valid
          ? undefined
          : `Not ${type === "integer" ? "an" : "a"} ${type} value${placeholder ? ` like ${placeholder}` : ""}: left out until it is`
      }
      value={filter.value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

interface Props {
  filters: FilterState[];
  columns: ProfileColumn[];
  onChange: (filters: FilterState[]) => void;
}

/** Filter rows: column, operator, typed value. Rows without a value yet do not reach the query. */
export function FiltersEditor({ filters, columns, onChange }: Props) {
  function update(index: number, filter: FilterState) {
    onChange(filters.map((f, i) => (i === index ? filter : f)));
  }

  function changeColumn(filter: FilterState, column: string): FilterState {
    const ops = opsFor(columnType(columns, column));
    return { column, op: ops.includes(filter.op) ? filter.op : "exact", value: "" };
  }

  function changeOp(filter: FilterState, op: FilterOp): FilterState {
    if (op === "isnull") return { ...filter, op, value: "true" };
    return { ...filter, op, value: filter.op === "isnull" ? "" : filter.value };
  }

  return (
    <fieldset className="island-fieldset stack chart-builder-group">
      <legend>Filters</legend>
      {filters.map((filter, index) => {
        const type = columnType(columns, filter.column);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: a filter has no id; the state updates address it by position.
          <div className="chart-builder-item chart-builder-filter" key={index} data-testid="filter-row">
            <select
              className="select chart-builder-column"
              aria-label="Filter column"
              title={filter.column}
              value={filter.column}
              onChange={(e) => update(index, changeColumn(filter, e.target.value))}
            >
              {columns.map((column) => (
                <option key={column.name} value={column.name}>
                  {column.name}
                </option>
              ))}
            </select>
            <select
              className="select chart-builder-op"
              aria-label="Operator"
              value={filter.op}
              onChange={(e) => update(index, changeOp(filter, e.target.value as FilterOp))}
            >
              {opsFor(type).map((op) => (
                <option key={op} value={op}>
                  {FILTER_OP_LABELS[op]}
                </option>
              ))}
            </select>
            <FilterValueInput type={type} filter={filter} onChange={(value) => update(index, { ...filter, value })} />
            <button
              type="button"
              className="btn btn-small btn-danger chart-builder-remove"
              aria-label={`Remove filter ${index + 1}`}
              title="Remove this filter"
              onClick={() => onChange(filters.filter((_, i) => i !== index))}
            >
              <span aria-hidden="true">×</span>
            </button>
          </div>
        );
      })}
      <div>
        <button
          type="button"
          className="btn btn-small"
          disabled={columns.length === 0}
          onClick={() => onChange([...filters, { column: columns[0]?.name ?? "", op: "exact", value: "" }])}
        >
          Add filter
        </button>
      </div>
    </fieldset>
  );
}
