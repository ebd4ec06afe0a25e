import type { FormEvent } from "react";
import { Field } from "../../components/Field";

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
  return (
    <form className="card stack" aria-label="Import from URL" noValidate onSubmit={onSubmit}>
      <fieldset className="island-fieldset stack" disabled={disabled}>
        <p className="muted">
          Or import a file from a URL
          {mode === "new" ? ", with the title, description, workspace and visibility above" : ""}.
        </p>
        <Field label="URL" errors={errors}>
          {(control) => (
            // The button sits beside the input, so the field's error goes under both.
            <div className="row island-url-row">
              <input
                {...control}
                type="url"
                className="input"
                name="url"
                inputMode="url"
                placeholder="https://example.com/data.csv"
                value={url}
                onChange={(event) => onUrlChange(event.target.value)}
              />
              <button type="submit" className="btn">
                Import
              </button>
            </div>
          )}
        </Field>
      </fieldset>
    </form>
  );
}
