// Test helpers: a fake API server behind a stubbed global fetch.
import { vi } from "vitest";

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}

export type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;

/** Stub fetch with `handler`; the returned mock records every call as (url, init). */
export function mockFetch(handler: Handler) {
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => handler(String(input), init ?? {}));
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

/** The JSON body a recorded call sent. */
export function sentJson(init: RequestInit | undefined): unknown {
  return JSON.parse(String(init?.body));
}
