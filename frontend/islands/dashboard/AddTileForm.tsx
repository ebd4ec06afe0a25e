import { useId, useState, type FormEvent } from "react";
import type { ChartSummary } from "./props";

const NOTE = "__note__";

interface Props {
  charts: ChartSummary[];
  onAdd: (content: { chart: string } | { text: string }) => void;
  onClose: () => void;
}

/** Add a tile: one of the workspace's saved charts, or a text note. */
export function AddTileForm({ charts, onAdd, onClose }: Props) {
  const id = useId();
  const [choice, setChoice] = useState(charts[0]?.id ?? NOTE);
  const [text, setText] = useState("");

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (choice === NOTE) {
      if (text.trim() === "") return;
      onAdd({ text });
      setText("");
    } else {
      onAdd({ chart: choice });
    }
  }

  return (
    <form className="card stack" onSubmit={submit} aria-label="Add tile">
      <div className="row island-form-row">
        <div className="field grow">
          <label htmlFor={`${id}-content`}>Tile</label>
          <select id={`${id}-content`} className="select" value={choice} onChange={(e) => setChoice(e.target.value)}>
            {charts.map((chart) => (
              <option key={chart.id} value={chart.id}>
                {chart.title}
                {chart.dataset_title ? ` — ${chart.dataset_title}` : ""}
              </option>
            ))}
            <option value={NOTE}>Text note</option>
          </select>
        </div>
        <button type="submit" className="btn btn-primary" disabled={choice === NOTE && text.trim() === ""}>
          Add
        </button>
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
      {choice === NOTE ? (
        <div className="field">
          <label htmlFor={`${id}-note`}>Note</label>
          <textarea
            id={`${id}-note`}
            className="input"
            rows={3}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
      ) : null}
      {charts.length === 0 ? (
        <p className="muted small">This workspace has no saved charts yet: build one from a dataset's Explore page.</p>
      ) : null}
    </form>
  );
}
