import { expectObject, expectString, optionalPositiveNumber, optionalString } from "../../lib/validate";

export interface JobProgressProps {
  jobId: string;
  apiUrl: string;
  pollMs: number;
  redirectOnSuccess: string | null;
}

// built by apps.jobs.islands.job_progress_props
export function parseJobProgressProps(raw: unknown): JobProgressProps {
  const obj = expectObject(raw, "job-progress props");
  return {
    jobId: expectString(obj, "jobId"),
    apiUrl: expectString(obj, "apiUrl"),
    pollMs: optionalPositiveNumber(obj, "pollMs", 1000),
    redirectOnSuccess: optionalString(obj, "redirectOnSuccess") || null,
  };
}
