import { useState, type ChangeEvent, type DragEvent } from "react";
import { formatBytes } from "../../lib/format";
import { Field } from "../../components/Field";

// A hint for the file picker only: the server detects the format, so drops are not filtered.
const ACCEPT = ".csv,.tsv,.txt,.xlsx,.json,.jsonl,.ndjson,.parquet";

interface Props {
  file: File | null;
  maxBytes: number;
  disabled: boolean;
  errors: string[] | undefined;
  onFiles: (files: File[]) => void;
}

/** A real file input, visually hidden behind a label that is also the drop target. */
export function FileDropZone({ file, maxBytes, disabled, errors, onFiles }: Props) {
  const [dragging, setDragging] = useState(false);

  function handleChange(event: ChangeEvent<HTMLInputElement>) {
    const chosen = Array.from(event.target.files ?? []);
    // Cleared so that choosing the same file again (after a failed ingest) still fires a change.
    event.target.value = "";
    if (chosen.length > 0) onFiles(chosen);
  }

  function handleDragOver(event: DragEvent<HTMLDivElement>) {
    // Always claim the drop, even while busy: otherwise the browser would open the file and leave the page.
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = disabled ? "none" : "copy";
    if (!disabled) setDragging(true);
  }

  function handleDragLeave(event: DragEvent<HTMLDivElement>) {
    if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
  }

  function handleDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    if (disabled) return;
    const dropped = Array.from(event.dataTransfer?.files ?? []);
    if (dropped.length > 0) onFiles(dropped);
  }

  const choose = <span className="island-dropzone-choose">choose one</span>;
  return (
    <Field label="File" errors={errors} hint={`Up to ${formatBytes(maxBytes)}.`}>
      {(control) => (
        // biome-ignore lint/a11y/noStaticElementInteractions: dropping is a pointer shortcut; the file input inside is the control.
        <div
          className={`island-dropzone${dragging ? " island-dropzone-active" : ""}`}
          data-testid="upload-dropzone"
          onDragEnter={handleDragOver}
          onDragOver={handleDragOver}
          onDragLeave={handleDragLeave}
          onDrop={handleDrop}
        >
          <input
            {...control}
            type="file"
            className="island-dropzone-input"
            name="file"
            accept={ACCEPT}
            onChange={handleChange}
          />
          <label htmlFor={control.id} className="island-dropzone-label">
            {file === null ? (
              <span>Drop a CSV, Excel, JSON or Parquet file here, or {choose}</span>
            ) : (
              <>
                <span className="island-dropzone-file" data-testid="upload-file">
                  {file.name} <span className="muted">({formatBytes(file.size)})</span>
                </span>
                <span>Drop another file here, or {choose}</span>
              </>
            )}
          </label>
        </div>
      )}
    </Field>
  );
}
