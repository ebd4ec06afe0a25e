import type { ReactNode } from "react";
import {
  BOOLEAN_OP,
  CONTAINS_OP,
  filterKind,
  isValidFilterText,
  NULL_OP,
  parsePeriod,
  PERIOD_HINT,
  periodText,
  RANGE_OPS,
} from "./filters";
import { FilterInput } from "./FilterInput";
import { isNumericType, type Column, type FilterOp } from "../../lib/contract";
import { conditionValue, type FilterCondition } from "./state";

interface Props {
  column: Column;
  filters: FilterCondition[];
  onChange: (column: string, op: FilterOp, value: string | null) => void;
}

/**
 * The controls filtering one column: a range of numbers, one period of dates or times, "contains" or
 * true/false; and null / not null where the column has nulls.
 */
export function FilterCell({ column, filters, onChange }: Props) {
  const { name, type } = column;
  const kind = filterKind(type);
  const isValid = (text: string) => isValidFilterText(type, text);
  const inputMode = isNumericType(type) ? (type === "float" ? "decimal" : "numeric") : undefined;

  let main: ReactNode;
  if (kind === "contains") {
    main = (
      <FilterInput
        label={`Filter ${name}`}
        placeholder="contains…"
        value={conditionValue(filters, name, CONTAINS_OP)}
        isValid={isValid}
        onCommit={(text) => onChange(name, CONTAINS_OP, text)}
      />
    );
  } else if (kind === "boolean") {
    main = (
      <select
        className="select island-grid-filter-input"
        aria-label={`Filter ${name}`}
        value={conditionValue(filters, name, BOOLEAN_OP)}
        onChange={(event) => onChange(name, BOOLEAN_OP, event.target.value)}
      >
        <option value="">any</option>
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  } else if (kind === "period") {
    const period = {
      min: conditionValue(filters, name, RANGE_OPS.min),
      max: conditionValue(filters, name, RANGE_OPS.max),
    };
    main = (
      <FilterInput
        label={`Filter ${name}`}
        hint={PERIOD_HINT}
        placeholder="e.g. 2024-02 or a..b"
        value={periodText(type, period)}
        isValid={(text) => parsePeriod(type, text) !== null}
        onCommit={(text) => {
          const next = parsePeriod(type, text);
          if (next === null) return;
          onChange(name, RANGE_OPS.min, next.min);
          onChange(name, RANGE_OPS.max, next.max);
        }}
      />
    );
  } else {
    main = (
      <div className="island-grid-range">
        {(["min", "max"] as const).map((end) => (
          <FilterInput
            key={end}
            label={`${end === "min" ? "Minimum" : "Maximum"} ${name}`}
            inputMode={inputMode}
            placeholder={end}
            value={conditionValue(filters, name, RANGE_OPS[end])}
            isValid={isValid}
            onCommit={(text) => onChange(name, RANGE_OPS[end], text)}
          />
        ))}
      </div>
    );
  }

  const nullChoice = conditionValue(filters, name, NULL_OP);
  const offersNulls = column.nullable !== false || nullChoice !== "";
  return (
    <>
      {main}
      {offersNulls ? (
        <select
          className="select island-grid-filter-input island-grid-null-filter"
          aria-label={`Nulls in ${name}`}
          value={nullChoice}
          onChange={(event) => onChange(name, NULL_OP, event.target.value)}
        >
          <option value="">with nulls</option>
          <option value="true">only null</option>
          <option value="false">not null</option>
        </select>
      ) : null}
    </>
  );
}
