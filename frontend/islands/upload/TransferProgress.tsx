import { ProgressBar } from "../../components/ProgressBar";
import { formatBytes } from "../../lib/format";
import type { TransferProgress as Progress } from "./transfer";

interface Props {
  file: File;
  progress: Progress;
  onCancel: () => void;
}

/** The file's transfer to the server, with a Cancel that aborts it. */
export function TransferProgress({ file, progress, onCancel }: Props) {
  // The request body is the file plus a few form fields: its fraction is the file's, near enough.
  const total = progress.total ?? file.size;
  const fraction = total > 0 ? Math.min(1, progress.loaded / total) : 0;
  const percent = Math.round(fraction * 100);
  const status =
    fraction < 1
      ? `Uploading… ${percent}% (${formatBytes(fraction * file.size)} of ${formatBytes(file.size)})`
      : `Uploaded ${formatBytes(file.size)}. Waiting for the server…`;
  return (
    <div className="card stack island-upload-progress">
      <p className="island-upload-status" data-testid="upload-status">
        {status}
      </p>
      <ProgressBar value={fraction} label="Upload progress" />
      <div className="row">
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
