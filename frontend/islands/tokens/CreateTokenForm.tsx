import { useState, type FormEvent } from "react";
import { apiPost, errorMessage, fieldErrorsOf, type FieldErrors } from "../../lib/api";
import { Field, otherFieldErrors } from "../../components/Field";
import { parseCreatedToken, type CreatedToken, type TokenScope } from "./types";

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

const FORM_FIELDS = ["name", "scope", "expires_at"];

interface Props {
  apiUrl: string;
  onSubmitStart: () => void;
  onCreated: (token: CreatedToken) => void;
}

export function CreateTokenForm({ apiUrl, onSubmitStart, onCreated }: Props) {
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
      const created = parseCreatedToken(
        await apiPost<unknown>(apiUrl, { name: name.trim(), scope, expires_at: expiresAt(expiry) }),
      );
      setName("");
      onCreated(created);
    } catch (caught) {
      setError(errorMessage(caught));
      setFieldErrors(fieldErrorsOf(caught));
    } finally {
      setSubmitting(false);
    }
  }

  const otherErrors = otherFieldErrors(fieldErrors, FORM_FIELDS);

  return (
    <form className="card stack" onSubmit={handleSubmit} aria-label="New API token">
      <div className="row island-form-row">
        <Field label="Name" errors={fieldErrors.name}>
          {(control) => (
            <input
              {...control}
              className="input"
              name="name"
              required
              maxLength={100}
              autoComplete="off"
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          )}
        </Field>
        <Field label="Scope" errors={fieldErrors.scope}>
          {(control) => (
            <select
              {...control}
              className="select"
              name="scope"
              value={scope}
              onChange={(event) => setScope(event.target.value as TokenScope)}
            >
              <option value="read">Read</option>
              <option value="write">Write</option>
            </select>
          )}
        </Field>
        <Field label="Expires" errors={fieldErrors.expires_at}>
          {(control) => (
            <select
              {...control}
              className="select"
              name="expires"
              value={expiry}
              onChange={(event) => setExpiry(event.target.value as Expiry)}
            >
              {EXPIRY_CHOICES.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </select>
          )}
        </Field>
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
