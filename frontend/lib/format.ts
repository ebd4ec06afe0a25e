const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** An ISO timestamp as a short local date and time; `fallback` for null ("never" for an unused token). */
export function formatDate(iso: string | null, fallback = "—"): string {
  if (iso === null || iso === "") return fallback;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}
