// Test helper: an XMLHttpRequest stand-in that records the request and lets the test play the server.
import { vi } from "vitest";

export class FakeXhr extends EventTarget {
  static requests: FakeXhr[] = [];

  readonly upload = new EventTarget();
  method = "";
  url = "";
  withCredentials = false;
  requestHeaders: Record<string, string> = {};
  body: unknown = null;
  status = 0;
  statusText = "";
  responseText = "";
  aborted = false;
  private finished = false;

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }

  setRequestHeader(name: string, value: string): void {
    this.requestHeaders[name] = value;
  }

  send(body: unknown = null): void {
    this.body = body;
    FakeXhr.requests.push(this);
  }

  abort(): void {
    if (this.finished) return;
    this.finished = true;
    this.aborted = true;
    this.dispatchEvent(new ProgressEvent("abort"));
  }

  /** The multipart body the island sent. */
  get form(): FormData {
    if (!(this.body instanceof FormData)) throw new Error("The request body is not FormData.");
    return this.body;
  }

  /** The browser reports that `loaded` of `total` bytes went up. */
  progress(loaded: number, total: number): void {
    this.upload.dispatchEvent(new ProgressEvent("progress", { lengthComputable: true, loaded, total }));
  }

  /** The server answers. */
  respond(status: number, body: unknown, statusText = ""): void {
    this.finished = true;
    this.status = status;
    this.statusText = statusText;
    this.responseText = typeof body === "string" ? body : JSON.stringify(body);
    this.dispatchEvent(new ProgressEvent("load"));
  }

  /** The connection drops. */
  failNetwork(): void {
    this.finished = true;
    this.dispatchEvent(new ProgressEvent("error"));
  }
}

/** Replace XMLHttpRequest for this test; the returned list fills with each request sent. */
export function installFakeXhr(): FakeXhr[] {
  FakeXhr.requests = [];
  vi.stubGlobal("XMLHttpRequest", FakeXhr);
  return FakeXhr.requests;
}
