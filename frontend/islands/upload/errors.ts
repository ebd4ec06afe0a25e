import { ApiError, errorMessage } from "../../lib/api";
import { UploadCancelledError } from "./transfer";

export type FieldErrors = Record<string, string[]>;

// DRF's validation details: {"field": ["message", ...], "non_field_errors": [...]}.
export function fieldErrorsOf(error: unknown): FieldErrors {
  if (!(error instanceof ApiError) || typeof error.details !== "object" || error.details === null) return {};
  const errors: FieldErrors = {};
  for (const [field, messages] of Object.entries(error.details as Record<string, unknown>)) {
    const list = (Array.isArray(messages) ? messages : [messages]).filter((m): m is string => typeof m === "string");
    if (list.length > 0) errors[field] = list;
  }
  return errors;
}

/** What to tell the user when an upload or import request fails. */
export function requestErrorMessage(error: unknown): string {
  if (error instanceof UploadCancelledError) return error.message;
  // A proxy's own 413 (no JSON error body) is still about the file's size.
  if (error instanceof ApiError && error.status === 413 && error.code === "http_error") {
    return "This file is larger than the server accepts.";
  }
  return errorMessage(error);
}
