import { expectObject, expectString, optionalString, PropsError } from "../../lib/validate";

export interface Workspace {
  slug: string;
  name: string;
}

interface CommonProps {
  /** mode new: POST /api/v1/datasets/upload/; mode version: POST /api/v1/datasets/<id>/versions/ */
  uploadUrl: string;
  /** Where the caller may create datasets (mode new); may be empty in mode version. */
  workspaces: Workspace[];
  defaultWorkspace: string | null;
  maxBytes: number;
}

export interface NewDatasetProps extends CommonProps {
  mode: "new";
  /** /api/v1/datasets/: creates the empty dataset a URL import (or a retry) adds its version to. */
  datasetsUrl: string;
  datasetUrl: string | null;
}

export interface NewVersionProps extends CommonProps {
  mode: "version";
  datasetsUrl: string | null;
  /** The dataset page to open once the new version is ingested. */
  datasetUrl: string;
}

export type UploadProps = NewDatasetProps | NewVersionProps;

function parseWorkspaces(raw: unknown): Workspace[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new PropsError(`"workspaces" must be a list`);
  return raw.map((item, index) => {
    const workspace = expectObject(item, `workspaces[${index}]`);
    return { slug: expectString(workspace, "slug"), name: expectString(workspace, "name") };
  });
}

function parseMaxBytes(raw: unknown): number {
  if (typeof raw !== "number" || !Number.isFinite(raw) || raw <= 0) {
    throw new PropsError(`"maxBytes" must be a positive number`);
  }
  return raw;
}

// built by apps.datasets.islands.upload_island_props
export function parseUploadProps(raw: unknown): UploadProps {
  const obj = expectObject(raw, "upload props");
  const common: CommonProps = {
    uploadUrl: expectString(obj, "uploadUrl"),
    workspaces: parseWorkspaces(obj.workspaces),
    defaultWorkspace: optionalString(obj, "defaultWorkspace") || null,
    maxBytes: parseMaxBytes(obj.maxBytes),
  };
  if (obj.mode === "new") {
    return {
      ...common,
      mode: "new",
      datasetsUrl: expectString(obj, "datasetsUrl"),
      datasetUrl: optionalString(obj, "datasetUrl") || null,
    };
  }
  if (obj.mode === "version") {
    return {
      ...common,
      mode: "version",
      datasetsUrl: optionalString(obj, "datasetsUrl") || null,
      datasetUrl: expectString(obj, "datasetUrl"),
    };
  }
  throw new PropsError(`"mode" must be "new" or "version"`);
}
