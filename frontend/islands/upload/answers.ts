// What the upload endpoints answer (202), and the URLs the island builds from those answers.
import { expectObject, expectString, optionalString } from "../../lib/validate";

/** A dataset this island created, whose first version may still have to be retried. */
export interface CreatedDataset {
  id: string;
  title: string;
  pageUrl: string | null;
}

/** The dataset of POST /api/v1/datasets/upload/'s answer `{dataset, version, job}`. */
export function createdDatasetOf(answer: unknown): CreatedDataset {
  const dataset = expectObject(expectObject(answer, "upload answer").dataset, "the answer's dataset");
  return {
    id: expectString(dataset, "id"),
    title: optionalString(dataset, "title") ?? "",
    pageUrl: optionalString(dataset, "page_url") || null,
  };
}

export function versionsUrlOf(datasetsUrl: string, datasetId: string): string {
  return `${datasetsUrl.endsWith("/") ? datasetsUrl : `${datasetsUrl}/`}${encodeURIComponent(datasetId)}/versions/`;
}
