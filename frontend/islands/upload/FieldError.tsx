/** A field's error messages, beside it; `id` is what the control's aria-describedby names. */
export function FieldError({ id, messages }: { id: string; messages: string[] | undefined }) {
  if (!messages || messages.length === 0) return null;
  return (
    <p className="island-field-error" id={id}>
      {messages.join(" ")}
    </p>
  );
}
