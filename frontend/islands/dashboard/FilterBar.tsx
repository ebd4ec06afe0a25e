import { useEffect, useId, useState, type FormEvent } from "react";
import { FILTER_OP_LABELS, filterOpLabel as opLabel, type DashboardFilter, type FilterOp } from "../../lib/contract";
import { dateRangeFilters, sameFilters } from "./layout";

// The column's type is not known here, so the operators offered are those that read well on any column.
const OPS: FilterOp[] = ["exact", "ne", "gt", "gte", "lt", "lte", "in", "icontains", "isnull"];

function valueText(value: unknown): string {
  if (value === null || value === undefined) return "";
  return Array.isArray(value) ? value.join(",") : String(value);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

interface Props {
  saved: DashboardFilter[];
  active: DashboardFilter[];
  canEdit: boolean;
  /** Column names the dashboard's charts use, offered while typing a filter's column. */
  columnHints: string[];
  onApply: (filters: DashboardFilter[]) => void;
  onSave: (filters: DashboardFilter[]) => Promise<void>;
}

type Adding = null | "range" | "filter";

/**
 * The dashboard-wide filters. Anyone may change the values and apply them for this visit; editors also add
 * and remove filters and save them with the dashboard.
 */
export function FilterBar({ saved, active, canEdit, columnHints, onApply, onSave }: Props) {
  const id = useId();
  const [draft, setDraft] = useState<DashboardFilter[]>(active);
  const [adding, setAdding] = useState<Adding>(null);
  const [column, setColumn] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [op, setOp] = useState<FilterOp>("exact");
  const [value, setValue] = useState("");
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const activeKey = JSON.stringify(active);
  useEffect(() => {
    setDraft(JSON.parse(activeKey) as DashboardFilter[]);
  }, [activeKey]);

  /** Adding or removing a filter takes effect at once; edited values wait for Apply. */
  function change(filters: DashboardFilter[]) {
    setDraft(filters);
    onApply(filters);
  }

  function updateValue(index: number, text: string) {
    setDraft(draft.map((f, i) => (i === index ? { ...f, value: text } : f)));
  }

  function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = column.trim();
    if (name === "") return;
    const added =
      adding === "range"
        ? dateRangeFilters(name, from, to)
        : [{ column: name, op, value: op === "isnull" ? true : value }];
    if (added.length === 0) return;
    change([...draft, ...added]);
    setAdding(null);
    setColumn("");
    setFrom("");
    setTo("");
    setValue("");
  }

  async function save() {
    setSaving(true);
    setMessage(null);
    try {
      await onSave(draft);
      setMessage({ ok: true, text: "Filters saved." });
    } catch (error) {
      setMessage({ ok: false, text: error instanceof Error ? error.message : "Could not save the filters." });
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="card stack dashboard-filters" aria-label="Dashboard filters">
      <div className="row dashboard-filter-list">
        <strong className="small">Filters</strong>
        {draft.length === 0 ? <span className="muted small">None</span> : null}
        {draft.map((filter, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a filter has no id; the draft updates address it by position.
          <div className="row dashboard-filter" key={index} data-testid="dashboard-filter">
            <span className="mono">{filter.column}</span>
            <span>{opLabel(filter.op)}</span>
            {filter.op === "isnull" ? null : (
              <input
                className="input dashboard-filter-value"
                type={ISO_DATE.test(valueText(filter.value)) ? "date" : "text"}
                aria-label={`${filter.column} ${opLabel(filter.op)}`}
                value={valueText(filter.value)}
                onChange={(event) => updateValue(index, event.target.value)}
              />
            )}
            {canEdit ? (
              <button
                type="button"
                className="btn btn-small btn-danger"
                aria-label={`Remove filter ${filter.column} ${opLabel(filter.op)}`}
                onClick={() => change(draft.filter((_, i) => i !== index))}
              >
                ×
              </button>
            ) : null}
          </div>
        ))}
        <div className="row">
          <button
            type="button"
            className="btn btn-small"
            disabled={sameFilters(draft, active)}
            onClick={() => onApply(draft)}
          >
            Apply
          </button>
          {!sameFilters(active, saved) || !sameFilters(draft, active) ? (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                setDraft(saved);
                onApply(saved);
              }}
            >
              Reset
            </button>
          ) : null}
          {canEdit ? (
            <>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => setAdding(adding === "range" ? null : "range")}
              >
                Add date range
              </button>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => setAdding(adding === "filter" ? null : "filter")}
              >
                Add filter
              </button>
              <button
                type="button"
                className="btn btn-small"
                disabled={saving || sameFilters(draft, saved)}
                onClick={save}
              >
                Save filters
              </button>
            </>
          ) : null}
        </div>
      </div>

      {adding !== null ? (
        <form
          className="row island-form-row"
          onSubmit={add}
          aria-label={adding === "range" ? "Add date range" : "Add filter"}
        >
          <div className="field">
            <label htmlFor={`${id}-column`}>Column</label>
            <select
              id={`${id}-column`}
              className="select"
              required
              value={column}
              onChange={(e) => setColumn(e.target.value)}
            >
              <option value="">Choose a column…</option>
              {columnHints.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </div>
          {adding === "range" ? (
            <>
              <div className="field">
                <label htmlFor={`${id}-from`}>From</label>
                <input
                  id={`${id}-from`}
                  type="date"
                  className="input"
                  value={from}
                  onChange={(e) => setFrom(e.target.value)}
                />
              </div>
              <div className="field">
                <label htmlFor={`${id}-to`}>To</label>
                <input
                  id={`${id}-to`}
                  type="date"
                  className="input"
                  value={to}
                  onChange={(e) => setTo(e.target.value)}
                />
              </div>
            </>
          ) : (
            <>
              <div className="field">
                <label htmlFor={`${id}-op`}>Operator</label>
                <select
                  id={`${id}-op`}
                  className="select"
                  value={op}
                  onChange={(e) => setOp(e.target.value as FilterOp)}
                >
                  {OPS.map((o) => (
                    <option key={o} value={o}>
                      {FILTER_OP_LABELS[o]}
                    </option>
                  ))}
                </select>
              </div>
              {op === "isnull" ? null : (
                <div className="field">
                  <label htmlFor={`${id}-value`}>Value</label>
                  <input
                    id={`${id}-value`}
                    className="input"
                    required
                    value={value}
                    onChange={(e) => setValue(e.target.value)}
                  />
                </div>
              )}
            </>
          )}
          <button
            type="submit"
            className="btn btn-small btn-primary"
            disabled={adding === "range" && from === "" && to === ""}
          >
            Add
          </button>
        </form>
      ) : null}
      {message !== null ? (
        <div className={`alert ${message.ok ? "alert-success" : "alert-error"}`} role={message.ok ? "status" : "alert"}>
          {message.text}
        </div>
      ) : null}
    </section>
  );
}
