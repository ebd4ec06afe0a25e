// Small checks for JSON that crosses the page boundary (island props, app-config).
// Each throws a PropsError whose message names the offending key.
import type { z } from "zod";

export class PropsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PropsError";
  }
}

export function expectObject(raw: unknown, what: string): Record<string, unknown> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new PropsError(`${what} must be a JSON object`);
  }
  return raw as Record<string, unknown>;
}

export function expectString(obj: Record<string, unknown>, key: string): string {
  const value = obj[key];
  if (typeof value !== "string" || value === "") {
    throw new PropsError(`"${key}" must be a non-empty string`);
  }
  return value;
}

export function optionalString(obj: Record<string, unknown>, key: string): string | null {
  const value = obj[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw new PropsError(`"${key}" must be a string or null`);
  return value;
}

export function optionalPositiveNumber(obj: Record<string, unknown>, key: string, fallback: number): number {
  const value = obj[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new PropsError(`"${key}" must be a positive number`);
  }
  return value;
}

/** `raw` read by a zod schema; its first problem becomes a PropsError. A message may name the place with
 * "{path}" (`columns[2]`, after `what`), since one schema checks every item of a list. */
export function parseWith<Schema extends z.ZodType>(schema: Schema, raw: unknown, what = ""): z.output<Schema> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = (issue?.path ?? []).reduce<string>(
    (place, key) => (typeof key === "number" ? `${place}[${key}]` : place ? `${place}.${String(key)}` : String(key)),
    what,
  );
  throw new PropsError((issue?.message ?? "Unexpected JSON").replace("{path}", path));
}
