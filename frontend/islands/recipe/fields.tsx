// The controls every step editor is made of: a labelled field, one column, several columns.
import type { ReactNode } from "react";
import type { RecipeColumn } from "./props";

export function text(value: unknown): string {
  return typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
}

export function names(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is `children`, which the rule cannot see.
    <label className="field recipe-field">
      <span>{label}</span>
      {children}
    </label>
  );
}

export function ColumnSelect({
  value,
  columns,
  disabled,
  label,
  onChange,
}: {
  value: unknown;
  columns: RecipeColumn[];
  disabled: boolean;
  label: string;
  onChange: (name: string) => void;
}) {
  const current = text(value);
  const known = columns.some((c) => c.name === current);
  return (
    <Field label={label}>
      <select value={current} disabled={disabled} onChange={(event) => onChange(event.target.value)}>
        {!known ? <option value={current}>{current || "(choose)"}</option> : null}
        {columns.map((column) => (
          <option key={column.name} value={column.name}>
            {column.name} ({column.type})
          </option>
        ))}
      </select>
    </Field>
  );
}

export function ColumnChecks({
  value,
  columns,
  disabled,
  label,
  onChange,
}: {
  value: unknown;
  columns: RecipeColumn[];
  disabled: boolean;
  label: string;
  onChange: (names: string[]) => void;
}) {
  const chosen = new Set(names(value));
  return (
    <fieldset className="recipe-checks" disabled={disabled}>
      <legend>{label}</legend>
      {columns.map((column) => (
        <label key={column.name} className="recipe-check">
          <input
            type="checkbox"
            checked={chosen.has(column.name)}
            onChange={(event) => {
              const next = columns
                .map((c) => c.name)
                .filter((n) => (n === column.name ? event.target.checked : chosen.has(n)));
              onChange(next);
            }}
          />
          {column.name}
        </label>
      ))}
    </fieldset>
  );
}
