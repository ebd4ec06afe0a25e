// The one fetch wrapper every island uses to talk to the public DRF API with the user's session.
import { errorOf } from "./answers";
import { expectObject, expectString, optionalString } from "./validate";

export interface AppConfig {
  csrfToken: string;
  csrfHeaderName: string;
  user: { email: string } | null;
}

export interface Paginated<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details: unknown = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

const UNSAFE_METHODS: ReadonlySet<Method> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

let cachedConfig: AppConfig | null = null;

// emitted once per page by templates/base.html as the "app-config" json_script
function parseAppConfig(raw: unknown): AppConfig {
  const obj = expectObject(raw, "app-config");
  const user = obj.user === null || obj.user === undefined ? null : expectObject(obj.user, "app-config user");
  return {
    csrfToken: optionalString(obj, "csrfToken") ?? "",
    csrfHeaderName: optionalString(obj, "csrfHeaderName") ?? "X-CSRFToken",
    user: user ? { email: expectString(user, "email") } : null,
  };
}

/** The page's app-config, read once. A page without one (a plain static page) gets an anonymous config. */
export function appConfig(): AppConfig {
  if (cachedConfig === null) {
    const text = document.getElementById("app-config")?.textContent;
    cachedConfig = text
      ? parseAppConfig(JSON.parse(text))
      : { csrfToken: "", csrfHeaderName: "X-CSRFToken", user: null };
  }
  return cachedConfig;
}

/** The CSRF header an unsafe request carries, from the page's app-config (none when the page has no token). */
export function csrfHeaders(): Record<string, string> {
  const { csrfHeaderName, csrfToken } = appConfig();
  return csrfToken ? { [csrfHeaderName]: csrfToken } : {};
}

/** The ApiError for a failed answer; also used by the upload island, whose XHR answers are wrapped in a Response. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  const fallback = `Request failed with status ${response.status}${response.statusText ? ` (${response.statusText})` : ""}.`;
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return new ApiError(response.status, "http_error", fallback);
  }
  const error = errorOf(body);
  if (error) {
    return new ApiError(response.status, error.code ?? "http_error", error.message || fallback, error.details ?? null);
  }
  if (typeof body === "object" && body !== null) {
    // DRF's own shape, in case a response slips past the project's exception handler.
    const detail = (body as { detail?: unknown }).detail;
    if (typeof detail === "string") return new ApiError(response.status, "http_error", detail);
  }
  return new ApiError(response.status, "http_error", fallback);
}

export async function apiRequest<T>(
  method: Method,
  url: string,
  body?: unknown,
  options: { signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  // FormData (file uploads) goes as multipart with the boundary fetch sets; anything else as JSON.
  const isForm = body instanceof FormData;
  if (body !== undefined && !isForm) headers["Content-Type"] = "application/json";
  if (UNSAFE_METHODS.has(method)) Object.assign(headers, csrfHeaders());
  const response = await fetch(url, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    signal: options.signal,
  });
  if (!response.ok) throw await errorFromResponse(response);
  if (response.status === 204) return null as T;
  return (await response.json()) as T;
}

export function apiGet<T>(url: string, options?: { signal?: AbortSignal }): Promise<T> {
  return apiRequest<T>("GET", url, undefined, options);
}

/**
 * Every item of a paginated list (`{count, next, previous, results}`), following `next` up to `maxPages`
 * pages (a guard against a runaway chain); `parseItem` checks each item as it enters the page.
 */
export async function apiGetAll<T>(
  url: string,
  parseItem: (raw: unknown) => T,
  options: { signal?: AbortSignal; maxPages?: number } = {},
): Promise<T[]> {
  const items: T[] = [];
  let next: string | null = url;
  for (let page = 0; next !== null && page < (options.maxPages ?? 20); page += 1) {
    const body: Partial<Paginated<unknown>> | null = await apiGet<Partial<Paginated<unknown>> | null>(next, options);
    if (!Array.isArray(body?.results)) throw new ApiError(200, "bad_response", "The server's list could not be read.");
    items.push(...body.results.map(parseItem));
    next = typeof body.next === "string" && body.next !== "" ? body.next : null;
  }
  return items;
}

export function apiPost<T>(url: string, body?: unknown): Promise<T> {
  return apiRequest<T>("POST", url, body);
}

export function apiPatch<T>(url: string, body: unknown): Promise<T> {
  return apiRequest<T>("PATCH", url, body);
}

export function apiDelete<T = null>(url: string): Promise<T> {
  return apiRequest<T>("DELETE", url);
}

/** A readable message for anything an API call can throw (ApiError, network TypeError, ...). */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return "Could not reach the server. Check your connection and try again.";
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong.";
}

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
