// Test helper: a job as GET /api/v1/jobs/{id}/ answers it.
import type { Job } from "../lib/contract";

export function jobAnswer(overrides: Partial<Job> = {}): Job {
  return {
    id: "3f2b6c1e-8a4d-4f7e-9b21-5c0d7e6a9f10",
    kind: "ingest",
    status: "queued",
    progress: 0,
    stage: "",
    message: "",
    error: "",
    result: null,
    created_at: "2025-01-15T10:00:00Z",
    started_at: null,
    finished_at: null,
    ...overrides,
  };
}
