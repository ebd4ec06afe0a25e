import { COLUMN_TYPES, isNumericType, isTemporalType } from "../../lib/contract";
import { FilterStepEditor } from "./FilterStepEditor";
import { ColumnChecks, ColumnSelect, Field, names, text } from "./fields";
import type { RecipeColumn } from "./props";
import { CASE_LABELS, ON_ERROR_LABELS, type Step } from "./steps";

interface Props {
  step: Step;
  number: number;
  /** The columns that exist where this step runs. */
  columns: RecipeColumn[];
  disabled: boolean;
  /** Patterns the preview found for this step's text -> date cast. */
  formats: string[] | undefined;
  onChange: (step: Step) => void;
}

const SEPARATORS: Array<[string, string]> = [
  ["", "none"],
  [",", "comma ,"],
  [".", "dot ."],
  [" ", "space"],
  ["'", "apostrophe '"],
];

export function StepEditor({ step, number, columns, disabled, formats, onChange }: Props) {
  const set = (changes: Record<string, unknown>) => onChange({ ...step, ...changes });
  const id = `step-${number}`;
  switch (step.op) {
    case "rename":
      return (
        <div className="row row-end">
          <ColumnSelect
            label="Column"
            value={step.column}
            columns={columns}
            disabled={disabled}
            onChange={(column) => set({ column })}
          />
          <Field label="New name">
            <input
              type="text"
              value={text(step.to)}
              disabled={disabled}
              onChange={(event) => set({ to: event.target.value })}
            />
          </Field>
        </div>
      );
    case "cast": {
      const type = text(step.type);
      const source = columns.find((c) => c.name === step.column);
      return (
        <div className="stack">
          <div className="row row-end">
            <ColumnSelect
              label="Column"
              value={step.column}
              columns={columns}
              disabled={disabled}
              onChange={(column) => set({ column })}
            />
            <Field label="New type">
              <select
                value={type}
                disabled={disabled}
                onChange={(event) => {
                  const next = event.target.value;
                  onChange({
                    op: "cast",
                    column: step.column,
                    type: next,
                    on_error: step.on_error ?? "fail",
                    ...(isTemporalType(next) && step.format ? { format: step.format } : {}),
                  });
                }}
              >
                {COLUMN_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </Field>
            {isTemporalType(type) ? (
              <Field label="Format">
                <input
                  type="text"
                  list={`${id}-formats`}
                  placeholder="ISO, or e.g. %d/%m/%Y"
                  value={text(step.format)}
                  disabled={disabled}
                  onChange={(event) => set({ format: event.target.value || null })}
                />
                <datalist id={`${id}-formats`}>
                  {(formats ?? []).map((f) => (
                    <option key={f} value={f} />
                  ))}
                </datalist>
              </Field>
            ) : null}
            {isNumericType(type) ? (
              <>
                <Field label="Decimal separator">
                  <select
                    value={text(step.decimal) || "."}
                    disabled={disabled}
                    onChange={(event) => set({ decimal: event.target.value === "." ? null : event.target.value })}
                  >
                    <option value=".">dot .</option>
                    <option value=",">comma ,</option>
                  </select>
                </Field>
                <Field label="Thousands separator">
                  <select
                    value={text(step.thousands)}
                    disabled={disabled}
                    onChange={(event) => set({ thousands: event.target.value || null })}
                  >
                    {SEPARATORS.map(([value, label]) => (
                      <option key={label} value={value}>
                        {label}
                      </option>
                    ))}
                  </select>
                </Field>
              </>
            ) : null}
            <Field label="When a value does not convert">
              <select
                value={text(step.on_error) || "fail"}
                disabled={disabled}
                onChange={(event) => set({ on_error: event.target.value })}
              >
                {Object.entries(ON_ERROR_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          {isTemporalType(type) && source?.type === "text" && formats !== undefined ? (
            <div className="row small" data-testid={`${id}-formats`}>
              {formats.length ? (
                <>
                  <span className="muted">Patterns that fit every value:</span>
                  {formats.map((f) => (
                    <button
                      key={f}
                      type="button"
                      className="btn btn-small mono"
                      disabled={disabled || f === step.format}
                      onClick={() => set({ format: f })}
                    >
                      {f}
                    </button>
                  ))}
                </>
              ) : (
                <span className="muted">No date pattern fits every value of this column.</span>
              )}
            </div>
          ) : null}
        </div>
      );
    }
    case "drop":
    case "trim":
      return (
        <ColumnChecks
          label="Columns"
          value={step.columns}
          columns={step.op === "trim" ? columns.filter((c) => c.type === "text") : columns}
          disabled={disabled}
          onChange={(columnsChosen) => set({ columns: columnsChosen })}
        />
      );
    case "case":
      return (
        <div className="stack">
          <ColumnChecks
            label="Columns"
            value={step.columns}
            columns={columns.filter((c) => c.type === "text")}
            disabled={disabled}
            onChange={(chosen) => set({ columns: chosen })}
          />
          <Field label="To">
            <select value={text(step.to)} disabled={disabled} onChange={(event) => set({ to: event.target.value })}>
              {Object.entries(CASE_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </Field>
        </div>
      );
    case "replace":
      return (
        <div className="row row-end">
          <ColumnSelect
            label="Column"
            value={step.column}
            columns={columns.filter((c) => c.type === "text")}
            disabled={disabled}
            onChange={(column) => set({ column })}
          />
          <Field label="Find">
            <input
              type="text"
              value={text(step.find)}
              disabled={disabled}
              onChange={(event) => set({ find: event.target.value })}
            />
          </Field>
          <Field label="Replace with">
            <input
              type="text"
              value={text(step.with)}
              disabled={disabled}
              onChange={(event) => set({ with: event.target.value })}
            />
          </Field>
          <label className="recipe-check">
            <input
              type="checkbox"
              checked={step.regex === true}
              disabled={disabled}
              onChange={(event) => set({ regex: event.target.checked })}
            />
            regular expression
          </label>
        </div>
      );
    case "fill":
      return (
        <div className="row row-end">
          <ColumnSelect
            label="Column"
            value={step.column}
            columns={columns}
            disabled={disabled}
            onChange={(column) => set({ column })}
          />
          <Field label="Value for empty cells">
            <input
              type="text"
              value={text(step.value)}
              disabled={disabled}
              onChange={(event) => set({ value: event.target.value })}
            />
          </Field>
        </div>
      );
    case "filter":
      return <FilterStepEditor step={step} columns={columns} disabled={disabled} set={set} />;
    case "dedupe": {
      const all = step.columns === null || step.columns === undefined;
      return (
        <div className="stack">
          <label className="recipe-check">
            <input
              type="checkbox"
              checked={all}
              disabled={disabled}
              onChange={(event) =>
                set({ columns: event.target.checked ? null : columns.map((c) => c.name).slice(0, 1) })
              }
            />
            rows equal in every column
          </label>
          {!all ? (
            <ColumnChecks
              label="Rows equal in"
              value={step.columns}
              columns={columns}
              disabled={disabled}
              onChange={(chosen) => set({ columns: chosen })}
            />
          ) : null}
        </div>
      );
    }
    case "split":
      return (
        <div className="row row-end">
          <ColumnSelect
            label="Column"
            value={step.column}
            columns={columns}
            disabled={disabled}
            onChange={(column) => set({ column })}
          />
          <Field label="Separator">
            <input
              type="text"
              value={text(step.separator)}
              disabled={disabled}
              onChange={(event) => set({ separator: event.target.value })}
            />
          </Field>
          <Field label="Into columns (comma-separated)">
            <input
              type="text"
              value={names(step.into).join(", ")}
              disabled={disabled}
              onChange={(event) =>
                set({
                  into: event.target.value
                    .split(",")
                    .map((n) => n.trim())
                    .filter(Boolean),
                })
              }
            />
          </Field>
        </div>
      );
    case "derive":
      return (
        <div className="row row-end">
          <Field label="New column">
            <input
              type="text"
              value={text(step.column)}
              disabled={disabled}
              onChange={(event) => set({ column: event.target.value })}
            />
          </Field>
          <Field label="SQL expression over the row">
            <input
              type="text"
              className="mono"
              value={text(step.expression)}
              disabled={disabled}
              placeholder={'upper("code") || \'-\' || "item"'}
              onChange={(event) => set({ expression: event.target.value })}
            />
          </Field>
        </div>
      );
  }
}
