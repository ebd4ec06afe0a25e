// What the upload island's tests share: props, files, answers, a fake API and the elements they read.
import { screen } from "@testing-library/react";
import type { Job } from "../../lib/contract";
import { jsonResponse, mockFetch } from "../../test/fetch";
import { jobAnswer } from "../../test/jobs";
import type { NewDatasetProps, NewVersionProps } from "./props";

export const MB = 1024 * 1024;
export const GB = 1024 * MB;
export const UPLOAD_URL = "/api/v1/datasets/upload/";
export const DATASETS_URL = "/api/v1/datasets/";
export const DATASET_ID = "5b0e7a52-3c1d-4e8f-9a6b-2d4c8e1f0a37";
export const VERSIONS_URL = `/api/v1/datasets/${DATASET_ID}/versions/`;
export const PAGE_URL = "/w/acme/sales/";
export const JOB_ID = "3f2b6c1e-8a4d-4f7e-9b21-5c0d7e6a9f10";
export const JOB_URL = `/api/v1/jobs/${JOB_ID}/`;
export const ACME = { slug: "acme", name: "Acme" };
export const BETA = { slug: "beta", name: "Beta Research" };

export function newProps(overrides: Partial<NewDatasetProps> = {}): NewDatasetProps {
  return {
    mode: "new",
    uploadUrl: UPLOAD_URL,
    datasetsUrl: DATASETS_URL,
    workspaces: [ACME],
    defaultWorkspace: "acme",
    maxBytes: 2 * GB,
    datasetUrl: null,
    ...overrides,
  };
}

export function versionProps(overrides: Partial<NewVersionProps> = {}): NewVersionProps {
  return {
    mode: "version",
    uploadUrl: VERSIONS_URL,
    datasetsUrl: null,
    workspaces: [],
    defaultWorkspace: null,
    maxBytes: 2 * GB,
    datasetUrl: PAGE_URL,
    ...overrides,
  };
}

/** A CSV file; `size` pretends it is that big without allocating it. */
export function csv(name: string, size?: number): File {
  const file = new File(["date,amount\n2025-01-01,12\n"], name, { type: "text/csv" });
  if (size !== undefined) Object.defineProperty(file, "size", { value: size });
  return file;
}

export function job(overrides: Partial<Job> = {}): Job {
  return jobAnswer({ id: JOB_ID, ...overrides });
}

export const uploadAnswer = {
  dataset: { id: DATASET_ID, title: "sales", page_url: PAGE_URL },
  version: { number: 1, status: "queued" },
  job: { id: JOB_ID, status: "queued" },
};

export function versionAnswer(jobId = JOB_ID, number = 2) {
  return { version: { number, status: "queued" }, job: { id: jobId, status: "queued" } };
}

/**
 * A fake API over fetch: jobs answer with whatever `jobs` holds now (the test moves them along),
 * `routes` answer "METHOD url" with a response.
 */
export function fakeApi(routes: Record<string, () => Response> = {}) {
  const jobs = new Map<string, Job>([[JOB_URL, job()]]);
  const fetchMock = mockFetch((url, init) => {
    const route = routes[`${init.method ?? "GET"} ${url}`];
    if (route) return route();
    const current = jobs.get(url);
    if (current) return jsonResponse(current);
    return jsonResponse({ error: { code: "not_found", message: "Not found." } }, 404);
  });
  return { fetchMock, jobs };
}

export function fileInput() {
  return screen.getByLabelText("File") as HTMLInputElement;
}

/** What a screen reader reads after the Title field: its hint, then its errors if any. */
export function titleDescriptions(): string[] {
  const ids = screen.getByLabelText("Title").getAttribute("aria-describedby")?.split(" ") ?? [];
  return ids.map((id) => document.getElementById(id)?.textContent ?? "");
}

export function titleHint() {
  return titleDescriptions()[0];
}

export function status() {
  return screen.getByTestId("upload-status").textContent;
}

export function bar(name: "Upload progress" | "Processing progress") {
  return screen.getByRole("progressbar", { name }).getAttribute("aria-valuenow");
}

/** The page's app-config (CSRF token and header) in <head>, which outlives each test's cleared body. */
export function installAppConfig(): void {
  const config = document.createElement("script");
  config.type = "application/json";
  config.id = "app-config";
  config.textContent = JSON.stringify({ csrfToken: "csrf-secret-123", csrfHeaderName: "X-CSRFToken", user: null });
  document.head.append(config);
}
