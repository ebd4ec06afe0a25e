import { useEffect, useRef, useState } from "react";
import { FILTER_DEBOUNCE_MS } from "./filters";

interface Props {
  label: string;
  /** What the control takes, shown as its tooltip. */
  hint?: string;
  value: string;
  inputMode?: "text" | "decimal" | "numeric";
  placeholder?: string;
  isValid: (text: string) => boolean;
  /** Called with the trimmed text once typing pauses (or on Enter / leaving the field). */
  onCommit: (text: string) => void;
}

/** A filter text box that sends its value after a pause in typing, and never a value of the wrong form. */
export function FilterInput({ label, hint, value, inputMode, placeholder, isValid, onCommit }: Props) {
  const [draft, setDraft] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const committed = useRef(value);

  // A change from outside (Clear filters, a shared link) replaces what is typed.
  useEffect(() => {
    if (value !== committed.current) {
      committed.current = value;
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = null;
      setDraft(value);
    }
  }, [value]);

  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );

  const trimmed = draft.trim();
  const valid = isValid(trimmed);

  function commit(text: string) {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    if (!isValid(text) || text === committed.current) return;
    committed.current = text;
    onCommit(text);
  }

  function handleChange(next: string) {
    setDraft(next);
    if (timer.current !== null) clearTimeout(timer.current);
    const text = next.trim();
    timer.current = setTimeout(() => commit(text), FILTER_DEBOUNCE_MS);
  }

  return (
    <input
      className="input island-grid-filter-input"
      type="text"
      inputMode={inputMode}
      aria-label={label}
      aria-invalid={valid ? undefined : true}
      title={valid ? hint : [`${label}: not a valid value.`, hint].filter(Boolean).join(" ")}
      placeholder={placeholder}
      value={draft}
      onChange={(event) => handleChange(event.target.value)}
      onBlur={() => commit(trimmed)}
      onKeyDown={(event) => {
        if (event.key === "Enter") commit(trimmed);
      }}
    />
  );
}
