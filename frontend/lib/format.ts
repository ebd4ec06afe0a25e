const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** An ISO timestamp as a short local date and time; `fallback` for null ("never" for an unused token). */
export function formatDate(iso: string | null, fallback = "—"): string {
  if (iso === null || iso === "") return fallback;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

const BYTE_UNITS = ["B", "KB", "MB", "GB", "TB"] as const;

/** A byte count for people, in 1024 steps: "512 B", "2.4 GB", "168 MB" (one decimal below 10). */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (unit < BYTE_UNITS.length - 1 && value >= 1024) {
    value /= 1024;
    unit += 1;
  }
  let text = unit === 0 || value >= 10 ? String(Math.round(value)) : value.toFixed(1);
  // 1023.7 KB rounds to "1024 KB": say "1.0 MB" instead.
  if (Number(text) >= 1024 && unit < BYTE_UNITS.length - 1) {
    unit += 1;
    text = (Number(text) / 1024).toFixed(1);
  }
  return `${text} ${BYTE_UNITS[unit]}`;
}
