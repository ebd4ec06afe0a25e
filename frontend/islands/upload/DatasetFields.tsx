import { Field } from "../../components/Field";
import type { FieldErrors } from "../../lib/api";
import type { Workspace } from "./props";

export type Visibility = "private" | "public";

export interface DatasetDetails {
  title: string;
  description: string;
  workspace: string;
  visibility: Visibility;
}

interface Props {
  details: DatasetDetails;
  /** The chosen file's name, shown in the title's hint; null before a file is chosen. */
  fileName: string | null;
  workspaces: Workspace[];
  errors: FieldErrors;
  onChange: (change: Partial<DatasetDetails>) => void;
}

/** The server names an untitled dataset after its file or URL; the island does not guess that name itself. */
function TitleHint({ fileName }: { fileName: string | null }) {
  if (fileName === null) return <>Left empty, the dataset is named after the file or the URL.</>;
  return <>Left empty, the dataset is named after the file, “{fileName}”.</>;
}

/** Title, description, workspace (a select only when there is a choice) and visibility of a new dataset. */
export function DatasetFields({ details, fileName, workspaces, errors, onChange }: Props) {
  const onlyWorkspace = workspaces.length === 1 ? workspaces[0] : undefined;
  return (
    <>
      <Field label="Title" errors={errors.title} hint={<TitleHint fileName={fileName} />}>
        {(control) => (
          <input
            {...control}
            type="text"
            className="input"
            name="title"
            maxLength={200}
            autoComplete="off"
            placeholder="Optional"
            value={details.title}
            onChange={(event) => onChange({ title: event.target.value })}
          />
        )}
      </Field>
      <Field label="Description" errors={errors.description}>
        {(control) => (
          <textarea
            {...control}
            name="description"
            rows={3}
            value={details.description}
            onChange={(event) => onChange({ description: event.target.value })}
          />
        )}
      </Field>
      <div className="row island-form-row">
        {onlyWorkspace === undefined ? (
          <Field label="Workspace" errors={errors.workspace}>
            {(control) => (
              <select
                {...control}
                className="select"
                name="workspace"
                value={details.workspace}
                onChange={(event) => onChange({ workspace: event.target.value })}
              >
                {details.workspace === "" ? <option value="">Choose a workspace…</option> : null}
                {workspaces.map((workspace) => (
                  <option key={workspace.slug} value={workspace.slug}>
                    {workspace.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        <Field label="Visibility" errors={errors.visibility}>
          {(control) => (
            <select
              {...control}
              className="select"
              name="visibility"
              value={details.visibility}
              onChange={(event) => onChange({ visibility: event.target.value as Visibility })}
            >
              <option value="private">Private to the workspace</option>
              <option value="public">Public</option>
            </select>
          )}
        </Field>
      </div>
      {onlyWorkspace !== undefined ? (
        <p className="muted">
          In the workspace <strong>{onlyWorkspace.name}</strong>.
        </p>
      ) : null}
    </>
  );
}
