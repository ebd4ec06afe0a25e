// The page's one WebSocket to /ws/ (DESIGN.md, "Live updates"), shared by every island on the page.
//
// Islands call `subscribe(channel, handlers)` and get the channel's events; the socket opens on the first
// subscription, reconnects with a growing delay when it drops, and subscribes again to every channel
// still wanted (a job channel then resends the job's state, so nothing is missed). `onStatus` tells a
// subscriber whether events are flowing, so it can poll while they are not.

/** The close code the server sends when the socket's sign-in has ended. */
export const SIGNED_OUT = 4401;

export type LiveStatus = "connecting" | "open" | "closed" | "unavailable";

export interface LiveError {
  code: string;
  message: string;
}

export interface LiveHandlers {
  onEvent: (event: string, data: Record<string, unknown>) => void;
  /** The channel was refused (not_found, ...): no events will come. */
  onError?: (error: LiveError) => void;
  onStatus?: (status: LiveStatus) => void;
}

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

class LiveConnection {
  private socket: WebSocket | null = null;
  private status: LiveStatus = "closed";
  private readonly handlers = new Map<string, Set<LiveHandlers>>();
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  currentStatus(): LiveStatus {
    return typeof WebSocket === "undefined" ? "unavailable" : this.status;
  }

  subscribe(channel: string, handlers: LiveHandlers): () => void {
    let forChannel = this.handlers.get(channel);
    if (forChannel === undefined) {
      forChannel = new Set();
      this.handlers.set(channel, forChannel);
    }
    forChannel.add(handlers);
    if (this.currentStatus() === "unavailable") {
      handlers.onStatus?.("unavailable"); // no WebSocket in this browser: the subscriber polls
    } else if (this.socket === null) {
      this.connect(); // tells every subscriber, this one too, that it is connecting
    } else {
      // Also when the channel is followed already: a job channel answers with its current state.
      if (this.status === "open") this.send({ subscribe: channel });
      handlers.onStatus?.(this.status);
    }
    return () => this.unsubscribe(channel, handlers);
  }

  private unsubscribe(channel: string, handlers: LiveHandlers): void {
    const forChannel = this.handlers.get(channel);
    if (!forChannel?.delete(handlers) || forChannel.size > 0) return;
    this.handlers.delete(channel);
    if (this.status === "open") this.send({ unsubscribe: channel });
  }

  private connect(): void {
    clearTimeout(this.retryTimer);
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    this.setStatus("connecting");
    let socket: WebSocket;
    try {
      socket = new WebSocket(`${scheme}//${window.location.host}/ws/`);
    } catch {
      this.failures += 1;
      this.setStatus("closed");
      this.retryLater();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.failures = 0;
      for (const channel of this.handlers.keys()) this.send({ subscribe: channel });
      this.setStatus("open"); // after the subscriptions, so what a subscriber fetches now cannot miss an event
    };
    socket.onmessage = (message) => this.dispatch(message.data);
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.failures += 1;
      this.setStatus("closed");
      // 4401: the page's sign-in ended (signed out, token revoked); a new socket would only be a visitor's.
      if (event.code !== SIGNED_OUT) this.retryLater();
    };
  }

  private retryLater(): void {
    if (this.handlers.size === 0) return;
    const delay = Math.min(FIRST_RETRY_MS * 2 ** (this.failures - 1), MAX_RETRY_MS);
    this.retryTimer = setTimeout(() => this.connect(), delay * (0.75 + Math.random() * 0.5));
  }

  private send(message: Record<string, string>): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private setStatus(status: LiveStatus): void {
    if (this.status === status) return;
    this.status = status;
    for (const forChannel of this.handlers.values()) for (const h of forChannel) h.onStatus?.(status);
  }

  private dispatch(raw: unknown): void {
    let message: unknown;
    try {
      message = JSON.parse(String(raw));
    } catch {
      return;
    }
    if (typeof message !== "object" || message === null) return;
    const { channel, event, data, error } = message as Record<string, unknown>;
    if (typeof channel !== "string") return;
    const forChannel = this.handlers.get(channel);
    if (forChannel === undefined) return;
    for (const h of [...forChannel]) {
      if (typeof error === "object" && error !== null) {
        const { code, message: text } = error as Record<string, unknown>;
        h.onError?.({ code: String(code), message: String(text ?? "") });
      } else if (typeof event === "string" && typeof data === "object" && data !== null) {
        h.onEvent(event, data as Record<string, unknown>);
      }
    }
  }

  /** Tests only: forget every subscriber and the socket. */
  reset(): void {
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    this.handlers.clear();
    this.failures = 0;
    this.status = "closed";
  }
}

const connection = new LiveConnection();

/** Follow `channel` (job:<id>, dataset:<id>, dashboard:<id>, notifications); returns the unsubscribe. */
export function subscribe(channel: string, handlers: LiveHandlers): () => void {
  return connection.subscribe(channel, handlers);
}

export function liveStatus(): LiveStatus {
  return connection.currentStatus();
}

export function resetLiveForTests(): void {
  connection.reset();
}
