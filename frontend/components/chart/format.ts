// Values of an aggregate answer as people read them (KPI, table cells, axis categories).

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const DIGITS_RE = /^[+-]?\d+$/;

/** A number (or a big integer sent as a string of digits) for reading: "12,345.68". */
export function formatNumber(value: number | string): string {
  if (typeof value === "string") {
    if (DIGITS_RE.test(value)) {
      try {
        return BigInt(value).toLocaleString();
      } catch {
        return value;
      }
    }
    const parsed = Number(value);
    return Number.isFinite(parsed) ? numberFormat.format(parsed) : value;
  }
  return numberFormat.format(value);
}

/** A cell of the answer; `type` is the output column's type. Null shows as an empty cell. */
export function formatValue(value: unknown, type: string): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "string" && (type === "integer" || type === "bigint" || type === "float")) {
    return formatNumber(value);
  }
  return String(value);
}

/** A value as a number for plotting; null when it is missing or not numeric. */
export function toNumber(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && value.trim() !== "") {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  if (typeof value === "boolean") return value ? 1 : 0;
  return null;
}

/** A bin's bound without float noise: 0.30000000000000004 → "0.3". */
export function formatBound(value: number): string {
  return String(Number(value.toPrecision(12)));
}
