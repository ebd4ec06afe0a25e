// What the upload endpoints answer (202), and the URLs the island builds from those answers.
import type { JobStatus } from "../../lib/useJob";

export interface JobRef {
  id: string;
  status: JobStatus;
}

export interface DatasetRef {
  id: string;
  title: string;
  page_url?: string;
}

/** POST /api/v1/datasets/upload/ */
export interface UploadAnswer {
  dataset: DatasetRef;
  version: { number: number; status: string };
  job: JobRef;
}

/** POST /api/v1/datasets/<id>/versions/, with a file or {"url"} */
export interface VersionAnswer {
  version: { number: number; status: string };
  job: JobRef;
}

/** A dataset this island created, whose first version may still have to be retried. */
export interface CreatedDataset {
  id: string;
  title: string;
  pageUrl: string | null;
}

// The job API is fixed by the v1 contract, so the props do not carry it.
const JOBS_URL = "/api/v1/jobs/";

export function jobApiUrl(job: JobRef | undefined): string {
  if (typeof job?.id !== "string" || job.id === "") throw new Error("The server's answer named no job to follow.");
  return `${JOBS_URL}${encodeURIComponent(job.id)}/`;
}

export function createdDatasetOf(dataset: DatasetRef | undefined): CreatedDataset {
  if (typeof dataset?.id !== "string" || dataset.id === "") throw new Error("The server's answer named no dataset.");
  return { id: dataset.id, title: dataset.title, pageUrl: dataset.page_url || null };
}

export function versionsUrlOf(datasetsUrl: string, datasetId: string): string {
  return `${datasetsUrl.endsWith("/") ? datasetsUrl : `${datasetsUrl}/`}${encodeURIComponent(datasetId)}/versions/`;
}
