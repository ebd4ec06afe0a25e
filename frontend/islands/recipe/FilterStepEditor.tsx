// The filter step's conditions: keep the rows matching all of them, with the rows API's operators.
import { FILTER_OPS, filterOpLabel } from "../../lib/contract";
import { ColumnSelect, Field, text } from "./fields";
import type { RecipeColumn } from "./props";
import type { FilterCondition, Step } from "./steps";

interface Props {
  step: Step;
  columns: RecipeColumn[];
  disabled: boolean;
  set: (changes: Record<string, unknown>) => void;
}

export function FilterStepEditor({ step, columns, disabled, set }: Props) {
  const conditions = (Array.isArray(step.filters) ? step.filters : []) as FilterCondition[];
  const update = (index: number, changes: Partial<FilterCondition>) =>
    set({ filters: conditions.map((c, i) => (i === index ? { ...c, ...changes } : c)) });
  return (
    <div className="stack">
      {conditions.map((condition, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a condition has no id; the step's updates address it by position.
        <div className="row row-end" key={index}>
          <ColumnSelect
            label="Column"
            value={condition.column}
            columns={columns}
            disabled={disabled}
            onChange={(column) => update(index, { column })}
          />
          <Field label="Operator">
            <select
              value={condition.op}
              disabled={disabled}
              onChange={(event) =>
                update(
                  index,
                  event.target.value === "isnull"
                    ? { op: "isnull", value: false }
                    : { op: event.target.value, value: "" },
                )
              }
            >
              {FILTER_OPS.map((op) => (
                <option key={op} value={op}>
                  {filterOpLabel(op)}
                </option>
              ))}
            </select>
          </Field>
          {condition.op === "isnull" ? (
            <Field label="Keep rows where it is">
              <select
                value={condition.value === true ? "true" : "false"}
                disabled={disabled}
                onChange={(event) => update(index, { value: event.target.value === "true" })}
              >
                <option value="false">not empty</option>
                <option value="true">empty</option>
              </select>
            </Field>
          ) : (
            <Field label="Value">
              <input
                type="text"
                value={text(condition.value)}
                disabled={disabled}
                onChange={(event) => update(index, { value: event.target.value })}
              />
            </Field>
          )}
          {conditions.length > 1 && !disabled ? (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => set({ filters: conditions.filter((_, i) => i !== index) })}
            >
              Remove condition
            </button>
          ) : null}
        </div>
      ))}
      {!disabled ? (
        <div>
          <button
            type="button"
            className="btn btn-small"
            onClick={() =>
              set({ filters: [...conditions, { column: columns[0]?.name ?? "", op: "exact", value: "" }] })
            }
          >
            Add a condition
          </button>
        </div>
      ) : null}
    </div>
  );
}
