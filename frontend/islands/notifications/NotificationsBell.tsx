import { useCallback, useEffect, useId, useRef, useState } from "react";
import { apiGet, apiPost, errorMessage, type Paginated } from "../../lib/api";
import { formatDate } from "../../lib/format";
import { subscribe } from "../../lib/live";
import type { NotificationsProps } from "./props";

export interface Notification {
  id: number;
  kind: string;
  message: string;
  url: string;
  created_at: string;
  read: boolean;
}

const SHOWN = 20;

function asNotification(data: Record<string, unknown>): Notification | null {
  return typeof data.id === "number" && typeof data.message === "string" ? (data as unknown as Notification) : null;
}

/** The header's bell: a live unread count, and the latest notifications in a list. */
export function NotificationsBell({ listUrl, readUrl, unread: initialUnread }: NotificationsProps) {
  const [unread, setUnread] = useState(initialUnread);
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<Notification[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let counting: AbortController | null = null;
    let heard = 0; // events so far: a count fetched while one arrived may or may not include it
    const unsubscribe = subscribe("notifications", {
      onEvent: (event, data) => {
        const item = event === "notification" ? asNotification(data) : null;
        if (item === null) return;
        heard += 1;
        setUnread((n) => n + (item.read ? 0 : 1));
        setItems((current) => (current === null ? null : [item, ...current.filter((i) => i.id !== item.id)]));
      },
      // Each time the socket (re)opens, count again: what arrived before it was listening is not missed.
      onStatus: (status) => {
        if (status !== "open") return;
        counting?.abort();
        counting = new AbortController();
        const heardBefore = heard;
        apiGet<Paginated<Notification>>(`${listUrl}?read=false`, { signal: counting.signal }).then(
          (page) => setUnread((n) => (heard === heardBefore ? page.count : Math.max(n, page.count))),
          () => {}, // the count from the page stays; the next event or reconnect corrects it
        );
      },
    });
    return () => {
      counting?.abort();
      unsubscribe();
    };
  }, [listUrl]);

  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    apiGet<Paginated<Notification>>(listUrl, { signal: controller.signal }).then(
      (page) => {
        setItems(page.results);
        setError(null);
      },
      (caught: unknown) => {
        if (!controller.signal.aborted) setError(errorMessage(caught));
      },
    );
    return () => controller.abort();
  }, [open, listUrl]);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === "Escape" : !root.current?.contains(event.target as Node)) {
        setOpen(false);
      }
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);

  const markRead = useCallback(
    async (body: { ids: number[] } | { all: true }) => {
      try {
        const answer = await apiPost<{ marked: number; unread: number }>(readUrl, body);
        setUnread(answer.unread);
        const ids = "ids" in body ? new Set(body.ids) : null;
        setItems((current) => current?.map((i) => (ids === null || ids.has(i.id) ? { ...i, read: true } : i)) ?? null);
      } catch (caught) {
        setError(errorMessage(caught));
      }
    },
    [readUrl],
  );

  const label = unread === 0 ? "Notifications" : `Notifications, ${unread} unread`;
  return (
    <div className="bell" ref={root}>
      <button
        type="button"
        className="bell-button"
        aria-label={label}
        title={label}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
      >
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        {unread > 0 ? (
          <span className="bell-count" data-testid="unread-count">
            {unread > 99 ? "99+" : unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <section className="bell-panel card" id={panelId} aria-label="Notifications">
          <div className="bell-head">
            <strong>Notifications</strong>
            <button
              type="button"
              className="btn btn-small"
              disabled={unread === 0}
              onClick={() => void markRead({ all: true })}
            >
              Mark all read
            </button>
          </div>
          {error !== null ? (
            <p className="alert alert-error" role="alert">
              {error}
            </p>
          ) : null}
          {items === null && error === null ? <p className="muted">Loading…</p> : null}
          {items !== null && items.length === 0 ? (
            <p className="muted">Nothing yet. Job outcomes and new versions show up here.</p>
          ) : null}
          {items !== null && items.length > 0 ? (
            <ul className="bell-list">
              {items.slice(0, SHOWN).map((item) => (
                <li key={item.id} className={item.read ? "bell-item" : "bell-item bell-unread"}>
                  {item.url ? (
                    <a href={item.url} onClick={() => void (item.read ? null : markRead({ ids: [item.id] }))}>
                      {item.message}
                    </a>
                  ) : (
                    <span>{item.message}</span>
                  )}
                  <span className="muted small">{formatDate(item.created_at)}</span>
                  {item.read ? null : (
                    <button type="button" className="bell-mark" onClick={() => void markRead({ ids: [item.id] })}>
                      Mark read
                    </button>
                  )}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
