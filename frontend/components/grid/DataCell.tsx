import { isNumericType, type Column } from "../../lib/contract";
import { cellText, groupDigits } from "./values";

// Roughly the px one character of cell text takes; longer text gets a tooltip.
const CHAR_WIDTH = 7;

interface Props {
  id: string;
  column: Column;
  colIndex: number;
  width: number;
  value: unknown;
  isActive: boolean;
  onActivate: () => void;
  onCopy: () => void;
}

/** One value: null as a muted "null", numbers to the right, a Copy button on the active cell. */
export function DataCell({ id, column, colIndex, width, value, isActive, onActivate, onCopy }: Props) {
  const raw = cellText(value);
  // Numbers read grouped ("1,461"); big integers, sent as text, stay as written (often identifiers).
  // Copy still puts the plain value on the clipboard.
  const text = raw !== null && typeof value === "number" && isNumericType(column.type) ? groupDigits(raw) : raw;
  const long = text !== null && text.length * CHAR_WIDTH > width - 16;
  const classes = ["island-grid-cell"];
  if (isNumericType(column.type)) classes.push("num");
  if (isActive) classes.push("is-active");
  return (
    <div
      id={id}
      className={classes.join(" ")}
      role="gridcell"
      aria-colindex={colIndex + 1}
      aria-selected={isActive || undefined}
      title={long ? text : undefined}
      style={{ width }}
      onClick={onActivate}
    >
      {text === null ? (
        <span className="muted island-grid-null">null</span>
      ) : (
        <span className="island-grid-value">{text}</span>
      )}
      {isActive ? (
        <button
          type="button"
          className="island-grid-copy"
          tabIndex={-1}
          aria-label="Copy value"
          title="Copy value (Ctrl+C)"
          onClick={(event) => {
            event.stopPropagation();
            onCopy();
          }}
        >
          Copy
        </button>
      ) : null}
    </div>
  );
}
