// The one API call that cannot go through lib/api.ts's fetch: fetch reports no upload progress.
// Same headers, credentials and errors as apiRequest, over XMLHttpRequest.
import { ApiError, csrfHeaders, errorFromResponse } from "../../lib/api";

export interface TransferProgress {
  loaded: number;
  /** Bytes of the whole request body, when the browser knows it. */
  total: number | null;
}

export class UploadCancelledError extends Error {
  constructor() {
    super("Upload cancelled.");
    this.name = "UploadCancelledError";
  }
}

async function answerOf<T>(xhr: XMLHttpRequest): Promise<T> {
  if (xhr.status < 200 || xhr.status > 599) {
    throw new TypeError("The upload could not reach the server."); // what fetch throws on a network failure
  }
  if (xhr.status >= 300) {
    throw await errorFromResponse(new Response(xhr.responseText, { status: xhr.status, statusText: xhr.statusText }));
  }
  if (xhr.status === 204 || xhr.responseText === "") return null as T;
  try {
    return JSON.parse(xhr.responseText) as T;
  } catch {
    throw new ApiError(xhr.status, "bad_response", "The server's answer could not be read.");
  }
}

/** POST `form` as multipart to `url`, reporting upload progress; `signal` aborts it (UploadCancelledError). */
export function sendUpload<T>(
  url: string,
  form: FormData,
  options: { onProgress?: (progress: TransferProgress) => void; signal?: AbortSignal } = {},
): Promise<T> {
  const { onProgress, signal } = options;
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new UploadCancelledError());
      return;
    }
    const xhr = new XMLHttpRequest();
    const abort = () => xhr.abort();
    const settle = (finish: () => void) => {
      signal?.removeEventListener("abort", abort);
      finish();
    };
    xhr.open("POST", url);
    // Like fetch's credentials: "same-origin": XHR sends the session cookie to this origin only.
    xhr.withCredentials = false;
    xhr.setRequestHeader("Accept", "application/json");
    for (const [name, value] of Object.entries(csrfHeaders())) xhr.setRequestHeader(name, value);
    xhr.upload.addEventListener("progress", (event) => {
      onProgress?.({ loaded: event.loaded, total: event.lengthComputable ? event.total : null });
    });
    xhr.addEventListener("load", () => settle(() => answerOf<T>(xhr).then(resolve, reject)));
    xhr.addEventListener("error", () => settle(() => reject(new TypeError("The upload could not reach the server."))));
    xhr.addEventListener("abort", () => settle(() => reject(new UploadCancelledError())));
    signal?.addEventListener("abort", abort, { once: true });
    xhr.send(form);
  });
}
