import { useId, useState, type FormEvent } from "react";
import { apiPost, errorMessage, fieldErrorsOf, type FieldErrors } from "../../lib/api";
import type { CreatedToken, TokenScope } from "./types";

const EXPIRY_CHOICES = [
  { value: "never", label: "Never", days: null },
  { value: "30", label: "30 days", days: 30 },
  { value: "90", label: "90 days", days: 90 },
  { value: "365", label: "1 year", days: 365 },
] as const;

type Expiry = (typeof EXPIRY_CHOICES)[number]["value"];

const DAY_MS = 24 * 60 * 60 * 1000;

function expiresAt(expiry: Expiry): string | null {
  const days = EXPIRY_CHOICES.find((choice) => choice.value === expiry)?.days ?? null;
  return days === null ? null : new Date(Date.now() + days * DAY_MS).toISOString();
}


const FORM_FIELDS = new Set(["name", "scope", "expires_at"]);

interface Props {
  apiUrl: string;
  onSubmitStart: () => void;
  onCreated: (token: CreatedToken) => void;
}

export function CreateTokenForm({ apiUrl, onSubmitStart, onCreated }: Props) {
  const id = useId();
  const [name, setName] = useState("");
  const [scope, setScope] = useState<TokenScope>("read");
  const [expiry, setExpiry] = useState<Expiry>("never");
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSubmitStart();
    setError(null);
    setFieldErrors({});
    if (name.trim() === "") {
      setFieldErrors({ name: ["Enter a name for the token."] });
      return;
    }
    setSubmitting(true);
    try {
      const created = await apiPost<CreatedToken>(apiUrl, {
        name: name.trim(),
        scope,
        expires_at: expiresAt(expiry),
      });
      setName("");
      onCreated(created);
    } catch (caught) {
      setError(errorMessage(caught));
      setFieldErrors(fieldErrorsOf(caught));
    } finally {
      setSubmitting(false);
    }
  }

  const otherErrors = Object.entries(fieldErrors)
    .filter(([field]) => !FORM_FIELDS.has(field))
    .flatMap(([, messages]) => messages);

  function fieldError(field: string) {
    const messages = fieldErrors[field];
    if (!messages) return null;
    return (
      <p className="island-field-error" id={`${id}-${field}-error`}>
        {messages.join(" ")}
      </p>
    );
  }

  function describedBy(field: string) {
    return fieldErrors[field] ? `${id}-${field}-error` : undefined;
  }

  return (
    <form className="card stack" onSubmit={handleSubmit} aria-label="New API token">
      <div className="row island-form-row">
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            className="input"
            name="name"
            required
            maxLength={100}
            autoComplete="off"
            value={name}
            onChange={(event) => setName(event.target.value)}
            aria-invalid={fieldErrors.name ? true : undefined}
            aria-describedby={describedBy("name")}
          />
          {fieldError("name")}
        </div>
        <div className="field">
          <label htmlFor={`${id}-scope`}>Scope</label>
          <select
            id={`${id}-scope`}
            className="select"
            name="scope"
            value={scope}
            onChange={(event) => setScope(event.target.value as TokenScope)}
            aria-invalid={fieldErrors.scope ? true : undefined}
            aria-describedby={describedBy("scope")}
          >
            <option value="read">Read</option>
            <option value="write">Write</option>
          </select>
          {fieldError("scope")}
        </div>
        <div className="field">
          <label htmlFor={`${id}-expires`}>Expires</label>
          <select
            id={`${id}-expires`}
            className="select"
            name="expires"
            value={expiry}
            onChange={(event) => setExpiry(event.target.value as Expiry)}
            aria-invalid={fieldErrors.expires_at ? true : undefined}
            aria-describedby={describedBy("expires_at")}
          >
            {EXPIRY_CHOICES.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
          {fieldError("expires_at")}
        </div>
        <button type="submit" className="btn btn-primary" disabled={submitting}>
          Create token
        </button>
      </div>
      {error !== null || otherErrors.length > 0 ? (
        <div className="alert alert-error" role="alert">
          {[error, ...otherErrors].filter(Boolean).join(" ")}
        </div>
      ) : null}
    </form>
  );
}
