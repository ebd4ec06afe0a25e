import { ApiError, errorMessage } from "../../lib/api";
import { UploadCancelledError } from "./transfer";

/** What to tell the user when an upload or import request fails. */
export function requestErrorMessage(error: unknown): string {
  if (error instanceof UploadCancelledError) return error.message;
  // A proxy's own 413 (no JSON error body) is still about the file's size.
  if (error instanceof ApiError && error.status === 413 && error.code === "http_error") {
    return "This file is larger than the server accepts.";
  }
  return errorMessage(error);
}
