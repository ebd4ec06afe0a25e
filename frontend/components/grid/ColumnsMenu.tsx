import { useEffect, useRef } from "react";
import type { Column } from "../../lib/contract";

interface Props {
  columns: Column[];
  hidden: string[];
  onChange: (hidden: string[]) => void;
}

/** "Columns": a checkbox per column; the last visible one cannot be hidden. */
export function ColumnsMenu({ columns, hidden, onChange }: Props) {
  const hiddenSet = new Set(hidden);
  const visibleCount = columns.length - hiddenSet.size;

  function toggle(name: string, show: boolean) {
    onChange(show ? hidden.filter((item) => item !== name) : [...hidden, name]);
  }

  // Close like a menu: on a click elsewhere and on Escape.
  const menu = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    function closeOutside(event: PointerEvent) {
      const element = menu.current;
      if (element?.open && !element.contains(event.target as Node)) element.open = false;
    }
    document.addEventListener("pointerdown", closeOutside);
    return () => document.removeEventListener("pointerdown", closeOutside);
  }, []);

  return (
    <details
      ref={menu}
      className="island-grid-menu"
      onKeyDown={(event) => {
        if (event.key === "Escape" && menu.current?.open) {
          menu.current.open = false;
          menu.current.querySelector("summary")?.focus();
        }
      }}
    >
      <summary className="btn btn-small">Columns{hidden.length > 0 ? ` (${hidden.length} hidden)` : ""}</summary>
      <div className="card popover island-grid-menu-panel" role="group" aria-label="Shown columns">
        <ul className="list island-grid-menu-list">
          {columns.map((column) => {
            const shown = !hiddenSet.has(column.name);
            return (
              <li key={column.name}>
                <label className="island-grid-menu-item">
                  <input
                    type="checkbox"
                    aria-label={column.name}
                    checked={shown}
                    disabled={shown && visibleCount === 1}
                    onChange={(event) => toggle(column.name, event.target.checked)}
                  />
                  <span className="clip">{column.name}</span>
                  <span className={`badge type-${column.type}`}>{column.type}</span>
                </label>
              </li>
            );
          })}
        </ul>
        {hidden.length > 0 ? (
          <button type="button" className="btn btn-small" onClick={() => onChange([])}>
            Show all columns
          </button>
        ) : null}
      </div>
    </details>
  );
}
