import { expectObject, expectString } from "../../lib/validate";

export interface NotificationsProps {
  /** GET: the caller's notifications, newest first (paginated). */
  listUrl: string;
  /** POST {"ids": [...]} or {"all": true}. */
  readUrl: string;
  unread: number;
}

// built by apps.live.islands.notifications_props
export function parseNotificationsProps(raw: unknown): NotificationsProps {
  const obj = expectObject(raw, "notifications props");
  const unread = obj.unread;
  if (typeof unread !== "number" || !Number.isInteger(unread) || unread < 0) {
    throw new Error('"unread" must be a whole number');
  }
  return { listUrl: expectString(obj, "listUrl"), readUrl: expectString(obj, "readUrl"), unread };
}
