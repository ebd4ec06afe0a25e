// An aggregate answer as CSV, the same shape as GET /api/v1/charts/{id}/data/?format=csv (header, then rows).
import type { QueryAnswer } from "../../lib/contract";

function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function answerToCsv(answer: QueryAnswer): string {
  const names = answer.columns.map((column) => column.name);
  const lines = [names.map(csvField).join(",")];
  for (const row of answer.rows) lines.push(names.map((name) => csvField(row[name])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
