import { useId } from "react";
import { FieldError } from "./FieldError";
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
  workspaces: Workspace[];
  errors: FieldErrors;
  onChange: (change: Partial<DatasetDetails>) => void;
}

/** Title, description, workspace (a select only when there is a choice) and visibility of a new dataset. */
export function DatasetFields({ details, workspaces, errors, onChange }: Props) {
  const id = useId();
  const errorId = (field: string) => `${id}-${field}-error`;
  const invalid = (field: string) => (errors[field] ? true : undefined);
  const describedBy = (field: string) => (errors[field] ? errorId(field) : undefined);
  const onlyWorkspace = workspaces.length === 1 ? workspaces[0] : undefined;

  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-title`}>Title</label>
        <input
          id={`${id}-title`}
          type="text"
          className="input"
          name="title"
          maxLength={200}
          autoComplete="off"
          value={details.title}
          onChange={(event) => onChange({ title: event.target.value })}
          aria-invalid={invalid("title")}
          aria-describedby={describedBy("title")}
        />
        <FieldError id={errorId("title")} messages={errors.title} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>Description</label>
        <textarea
          id={`${id}-description`}
          name="description"
          rows={3}
          value={details.description}
          onChange={(event) => onChange({ description: event.target.value })}
          aria-invalid={invalid("description")}
          aria-describedby={describedBy("description")}
        />
        <FieldError id={errorId("description")} messages={errors.description} />
      </div>
      <div className="row island-form-row">
        {onlyWorkspace === undefined ? (
          <div className="field">
            <label htmlFor={`${id}-workspace`}>Workspace</label>
            <select
              id={`${id}-workspace`}
              className="select"
              name="workspace"
              value={details.workspace}
              onChange={(event) => onChange({ workspace: event.target.value })}
              aria-invalid={invalid("workspace")}
              aria-describedby={describedBy("workspace")}
            >
              {details.workspace === "" ? <option value="">Choose a workspace…</option> : null}
              {workspaces.map((workspace) => (
                <option key={workspace.slug} value={workspace.slug}>
                  {workspace.name}
                </option>
              ))}
            </select>
            <FieldError id={errorId("workspace")} messages={errors.workspace} />
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={`${id}-visibility`}>Visibility</label>
          <select
            id={`${id}-visibility`}
            className="select"
            name="visibility"
            value={details.visibility}
            onChange={(event) => onChange({ visibility: event.target.value as Visibility })}
            aria-invalid={invalid("visibility")}
            aria-describedby={describedBy("visibility")}
          >
            <option value="private">Private to the workspace</option>
            <option value="public">Public</option>
          </select>
          <FieldError id={errorId("visibility")} messages={errors.visibility} />
        </div>
      </div>
      {onlyWorkspace !== undefined ? (
        <p className="muted">
          In the workspace <strong>{onlyWorkspace.name}</strong>.
        </p>
      ) : null}
    </>
  );
}
