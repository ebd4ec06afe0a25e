import { beforeAll, describe, expect, it } from "vitest";
import { jsonResponse, mockFetch, noContent, sentJson } from "../test/fetch";
import { ApiError, apiDelete, apiGet, apiGetAll, apiPatch, apiPost } from "./api";

beforeAll(() => {
  const config = document.createElement("script");
  config.type = "application/json";
  config.id = "app-config";
  config.textContent = JSON.stringify({
    csrfToken: "csrf-secret-123",
    csrfHeaderName: "X-CSRFToken",
    user: { email: "ada@example.com" },
  });
  document.head.append(config);
});

function headersOf(init: RequestInit | undefined): Record<string, string> {
  return init?.headers as Record<string, string>;
}

describe("api", () => {
  it("sends the CSRF token, a JSON body and same-origin credentials on POST", async () => {
    const fetchMock = mockFetch(() => jsonResponse({ id: 1, name: "ci" }, 201));

    const created = await apiPost<{ id: number; name: string }>("/api/v1/tokens/", { name: "ci" });

    expect(created).toEqual({ id: 1, name: "ci" });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe("/api/v1/tokens/");
    expect(init?.method).toBe("POST");
    expect(init?.credentials).toBe("same-origin");
    expect(headersOf(init)).toMatchObject({
      "X-CSRFToken": "csrf-secret-123",
      Accept: "application/json",
      "Content-Type": "application/json",
    });
    expect(sentJson(init)).toEqual({ name: "ci" });
  });

  it("sends the CSRF token on PATCH and DELETE, and a 204 answers null", async () => {
    const fetchMock = mockFetch((_url, init) => (init.method === "DELETE" ? noContent() : jsonResponse({})));

    expect(await apiDelete("/api/v1/tokens/7/")).toBeNull();
    await apiPatch("/api/v1/datasets/abc/", { title: "New" });

    for (const [, init] of fetchMock.mock.calls) {
      expect(headersOf(init)["X-CSRFToken"]).toBe("csrf-secret-123");
      expect(init?.credentials).toBe("same-origin");
    }
    expect(fetchMock.mock.calls.map(([, init]) => init?.method)).toEqual(["DELETE", "PATCH"]);
  });

  it("does not send the CSRF token on GET", async () => {
    const fetchMock = mockFetch(() => jsonResponse({ count: 0, next: null, previous: null, results: [] }));

    const page = await apiGet<{ count: number }>("/api/v1/tokens/");

    expect(page.count).toBe(0);
    const [, init] = fetchMock.mock.calls[0]!;
    expect(init?.method).toBe("GET");
    expect(init?.credentials).toBe("same-origin");
    expect(headersOf(init)).not.toHaveProperty("X-CSRFToken");
    expect(headersOf(init).Accept).toBe("application/json");
    expect(init?.body).toBeUndefined();
  });

  it("throws an ApiError carrying the server's code, message and details", async () => {
    mockFetch(() =>
      jsonResponse(
        { error: { code: "invalid", message: "Name is taken.", details: { name: ["Name is taken."] } } },
        400,
      ),
    );

    const error = await apiPost("/api/v1/tokens/", { name: "ci" }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: "invalid",
      message: "Name is taken.",
      details: { name: ["Name is taken."] },
    });
  });

  it("throws a readable ApiError when the error body is not JSON", async () => {
    mockFetch(() => new Response("<h1>Bad Gateway</h1>", { status: 502, statusText: "Bad Gateway" }));

    const error = await apiGet("/api/v1/jobs/x/").catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(502);
    expect((error as ApiError).message).toBe("Request failed with status 502 (Bad Gateway).");
  });

  it("sends FormData as multipart, leaving the Content-Type to fetch", async () => {
    const fetchMock = mockFetch(() => jsonResponse({ job: { id: "j" } }, 202));
    const form = new FormData();
    form.append("file", new Blob(["a,b\n1,2\n"], { type: "text/csv" }), "data.csv");

    await apiPost("/api/v1/datasets/upload/", form);

    const [, init] = fetchMock.mock.calls[0]!;
    expect(init?.body).toBe(form);
    expect(headersOf(init)).not.toHaveProperty("Content-Type");
    expect(headersOf(init)["X-CSRFToken"]).toBe("csrf-secret-123");
  });

  it("reads every page of a list, checking each item, and refuses an answer that is not a list", async () => {
    const fetchMock = mockFetch((url) =>
      url.endsWith("?page=2")
        ? jsonResponse({ count: 3, next: null, previous: "/api/v1/tokens/", results: [{ id: 3 }] })
        : jsonResponse({ count: 3, next: "/api/v1/tokens/?page=2", previous: null, results: [{ id: 1 }, { id: 2 }] }),
    );

    const ids = await apiGetAll("/api/v1/tokens/", (raw) => (raw as { id: number }).id);

    expect(ids).toEqual([1, 2, 3]);
    expect(fetchMock.mock.calls.map(([url]) => url)).toEqual(["/api/v1/tokens/", "/api/v1/tokens/?page=2"]);
    mockFetch(() => jsonResponse({ detail: "ok" }));
    await expect(apiGetAll("/api/v1/tokens/", (raw) => raw)).rejects.toThrow("The server's list could not be read.");
  });
});
