// The API's answers as they enter the page: rows, aggregate answers, jobs and errors, each read by a zod schema
// whose fields are the generated OpenAPI type's (lib/api/types.ts FieldsOf), so server and client cannot drift
// apart unnoticed. Each parse* throws a PropsError, as island props do. lib/contract.ts re-exports them.
import { z } from "zod";
import { jobStatusEnumValues } from "./api/schema";
import type { FieldsOf, NamesOf, Schemas } from "./api/types";
import { parseWith } from "./validate";

/** A column of an answer: aggregate answers may carry types of their own, so the type stays a string. */
export type AnswerColumn = {
  name: string;
  type: string;
};

export type Row = Record<string, unknown>;

function isRow(value: unknown): value is Row {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Rows that are not objects are left out: drawing an answer must not throw. */
const rows = z.array(z.unknown()).transform((items) => items.filter(isRow));

const answerColumn = z
  .object({ name: z.unknown().optional(), type: z.unknown().optional() }, { error: "{path} must be a JSON object" })
  .transform(
    ({ name, type }): AnswerColumn => ({ name: String(name), type: typeof type === "string" ? type : "text" }),
  ) satisfies z.ZodType<Schemas["ResultColumn"]>;

// ---- The aggregate answer: POST /api/v1/datasets/{id}/query/ ----

/** The aggregate answer: `{columns: [{name, type}], rows: [{...}]}`. */
export interface QueryAnswer {
  columns: AnswerColumn[];
  rows: Row[];
}

const noColumnsAndRows = "The answer has no columns and rows.";

const queryAnswer = z.object(
  {
    columns: z.array(answerColumn, { error: noColumnsAndRows }),
    rows: z.array(z.unknown(), { error: noColumnsAndRows }).pipe(rows),
  } satisfies FieldsOf<Schemas["AggregateAnswer"]>,
  { error: "answer must be a JSON object" },
);

/** An aggregate answer, checked enough that drawing it cannot throw. */
export function parseQueryAnswer(raw: unknown): QueryAnswer {
  return parseWith(queryAnswer, raw);
}

// ---- Rows: GET .../rows/ and GET /api/v1/sql/results/{job_id}/rows/ ----

/** A page of rows: `{columns, rows, total}`, and `next` (a cursor URL) from the datasets' rows API. */
export interface RowsAnswer {
  columns: AnswerColumn[];
  rows: Row[];
  /** Every row the query matches, not only this page's. */
  total: number;
  next: string | null;
}

const unexpectedRows = "The rows API answered in an unexpected form.";

// An SQL result's rows (ResultRows) are the same answer without `next`.
const rowsAnswer = z.preprocess(
  (raw) => (isRow(raw) ? raw : {}),
  z.object({
    rows: z.array(z.unknown(), { error: unexpectedRows }).pipe(rows),
    total: z.int({ error: unexpectedRows }).min(0, { error: unexpectedRows }),
    columns: z
      .unknown()
      .optional()
      .transform((value) => (Array.isArray(value) ? value : []))
      .pipe(z.array(answerColumn)),
    next: z
      .unknown()
      .optional()
      .transform((value) => (typeof value === "string" ? value : null)),
  } satisfies FieldsOf<Schemas["RowsAnswer"]>),
);

export function parseRowsAnswer(raw: unknown): RowsAnswer {
  return parseWith(rowsAnswer, raw);
}

// ---- Jobs: GET /api/v1/jobs/{id}/ ----

export const JOB_STATUSES = jobStatusEnumValues;
export type JobStatus = Schemas["JobStatusEnum"];

export interface Job {
  id: string;
  kind: string;
  status: JobStatus;
  /** 0..1 */
  progress: number;
  stage: string;
  message: string;
  error: string;
  result: Record<string, unknown> | null;
  created_at: string | null;
  started_at: string | null;
  finished_at: string | null;
}

export function isFinished(job: Job | null): boolean {
  return job !== null && (job.status === "succeeded" || job.status === "failed");
}

/** A text field: absent or null reads as "". */
export function textField(key: string) {
  return z
    .string({ error: `"${key}" must be a string or null` })
    .nullish()
    .transform((value) => value ?? "");
}

/** A time: absent reads as null. */
function when(key: string) {
  return z
    .string({ error: `"${key}" must be a string or null` })
    .nullish()
    .transform((value) => value ?? null);
}

const job = z.object(
  {
    id: z.string({ error: `"id" must be a non-empty string` }).min(1, { error: `"id" must be a non-empty string` }),
    kind: textField("kind"),
    status: z.enum(JOB_STATUSES, { error: `job "status" must be one of ${JOB_STATUSES.join(", ")}` }),
    progress: z
      .unknown()
      .optional()
      .transform((value) =>
        typeof value === "number" && Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0,
      ),
    stage: textField("stage"),
    message: textField("message"),
    error: textField("error"),
    result: z
      .unknown()
      .optional()
      .transform((value) => (isRow(value) ? value : null)),
    created_at: when("created_at"),
    started_at: when("started_at"),
    finished_at: when("finished_at"),
  } satisfies FieldsOf<Schemas["Job"]>,
  { error: "job must be a JSON object" },
);

export function parseJob(raw: unknown): Job {
  return parseWith(job, raw);
}

const noJob = "The server's answer named no job to follow.";

/** Any 202 answer that starts a job (upload, new version, recipe, refresh, SQL, materialize): `{job: {id, ...}}`. */
const jobAnswer = z.object(
  {
    job: z.object(
      { id: z.string({ error: noJob }).min(1, { error: noJob }) } satisfies FieldsOf<Pick<Schemas["Job"], "id">>,
      { error: noJob },
    ),
  },
  { error: noJob },
);

/** The job an upload, import or other 202 answer names. */
export function jobIdOf(answer: unknown): string {
  return parseWith(jobAnswer, answer).job.id;
}

// ---- Errors: every 4xx, `{"error": {"code", "message", "details"}}` ----

/** The error body, read leniently: a missing code or message falls back to the caller's. */
const errorBody = z.object({
  error: z.object({
    code: z.string().nullable().catch(null),
    message: z.string().nullable().catch(null),
    details: z.unknown().optional(),
  } satisfies FieldsOf<Schemas["Error"]["error"]>),
} satisfies NamesOf<Schemas["Error"]>);

export type ErrorBody = z.output<typeof errorBody>["error"];

/** The error of a 4xx body in the API's shape, or null for any other body. */
export function errorOf(body: unknown): ErrorBody | null {
  const result = errorBody.safeParse(body);
  return result.success ? result.data.error : null;
}
