// How a rows-API value is shown and copied (JSON conventions in dataplane/engine/output.py).

/** The cell's text; null for a missing value (shown as a muted "null"). Bigints arrive as strings and stay so. */
export function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** A number's text with thousands separators and its own decimals, as the dataset page's profile and
 * no-JavaScript table write it (apps/datasets/templatetags/datasets.py `number`): "-1234.5" -> "-1,234.5". */
export function groupDigits(text: string): string {
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(text);
  if (match === null) return text;
  const [, sign, whole = "", fraction = ""] = match;
  return `${sign}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${fraction}`;
}

/** What Ctrl+C puts on the clipboard: the value's text, nothing for null (as a spreadsheet would paste it). */
export function copyTextOf(value: unknown): string {
  return cellText(value) ?? "";
}

/** Copy to the clipboard where the browser allows it (a secure page); false when it could not. */
export async function copyToClipboard(text: string): Promise<boolean> {
  const clipboard = typeof navigator === "undefined" ? undefined : navigator.clipboard;
  if (!clipboard || typeof clipboard.writeText !== "function") return false;
  try {
    await clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

const NUMBER_FORMAT = new Intl.NumberFormat("en-US");

export function formatCount(count: number): string {
  return NUMBER_FORMAT.format(count);
}

/** "10,000,000 rows" unfiltered, "1,234 of 10,000,000 rows" filtered. */
export function countText(filtered: number | null, total: number, isFiltered: boolean): string {
  if (!isFiltered) return `${formatCount(filtered ?? total)} ${(filtered ?? total) === 1 ? "row" : "rows"}`;
  if (filtered === null) return `Counting rows… (of ${formatCount(total)})`;
  return `${formatCount(filtered)} of ${formatCount(total)} ${total === 1 ? "row" : "rows"}`;
}
