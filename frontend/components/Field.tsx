// One form field for every island: a label, one control, an optional hint and the field's errors, with
// aria-invalid and an aria-describedby that names only elements that are on the page.
import { useId, type ReactElement, type ReactNode } from "react";

/** What the control needs to be wired to its label, hint and errors. */
export interface FieldControl {
  id: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
}

interface FieldProps {
  label: ReactNode;
  /** The field's error messages, shown under it; none (or an empty list) when it is fine. */
  errors?: string[] | undefined;
  /** A line of help under the control ("Up to 2.0 GB."). */
  hint?: ReactNode;
  className?: string;
  /** Renders the control, spreading `control` onto the input, select or textarea. */
  children: (control: FieldControl) => ReactElement;
}

/** A field's error messages, beside it; `id` is what the control's aria-describedby names. */
export function FieldError({ id, messages }: { id: string; messages: string[] | undefined }) {
  if (!messages || messages.length === 0) return null;
  return (
    <p className="island-field-error" id={id}>
      {messages.join(" ")}
    </p>
  );
}

export function Field({ label, errors, hint, className, children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const hasErrors = errors !== undefined && errors.length > 0;
  const describedBy = [hint !== undefined ? hintId : null, hasErrors ? errorId : null].filter(Boolean).join(" ");
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={id}>{label}</label>
      {children({ id, "aria-invalid": hasErrors ? true : undefined, "aria-describedby": describedBy || undefined })}
      {hint !== undefined ? (
        <small className="muted" id={hintId}>
          {hint}
        </small>
      ) : null}
      <FieldError id={errorId} messages={errors} />
    </div>
  );
}

/** Server errors about fields the form does not show: they join the form's alert instead. */
export function otherFieldErrors(errors: Record<string, string[]>, shown: Iterable<string>): string[] {
  const shownSet = new Set(shown);
  return Object.entries(errors)
    .filter(([field]) => !shownSet.has(field))
    .flatMap(([, messages]) => messages);
}
