import { useId, type FormEvent } from "react";
import { FieldError } from "./FieldError";

interface Props {
  mode: "new" | "version";
  url: string;
  disabled: boolean;
  errors: string[] | undefined;
  onUrlChange: (url: string) => void;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
}

/** The alternative to a file: the server downloads the data from a URL. */
export function UrlImportForm({ mode, url, disabled, errors, onUrlChange, onSubmit }: Props) {
  const id = useId();
  return (
    <form className="card stack" aria-label="Import from URL" noValidate onSubmit={onSubmit}>
      <fieldset className="island-fieldset stack" disabled={disabled}>
        <p className="muted">
          Or import a file from a URL
          {mode === "new" ? ", with the title, description, workspace and visibility above" : ""}.
        </p>
        <div className="row island-form-row">
          <div className="field island-url-field">
            <label htmlFor={`${id}-url`}>URL</label>
            <input
              id={`${id}-url`}
              type="url"
              className="input"
              name="url"
              inputMode="url"
              placeholder="https://example.com/data.csv"
              value={url}
              onChange={(event) => onUrlChange(event.target.value)}
              aria-invalid={errors ? true : undefined}
              aria-describedby={errors ? `${id}-url-error` : undefined}
            />
          </div>
          <button type="submit" className="btn">
            Import
          </button>
        </div>
        <FieldError id={`${id}-url-error`} messages={errors} />
      </fieldset>
    </form>
  );
}
