import { formatBytes } from "../../lib/format";

/** "sales 2024.csv" → "sales 2024": what the title field offers once a file is chosen (the user may change it). */
export function titleFromFileName(name: string): string {
  const dot = name.lastIndexOf(".");
  return (dot > 0 ? name.slice(0, dot) : name).trim();
}

/** Why the browser refuses this file before sending anything, or null when it may go. */
export function refusalOf(file: File, maxBytes: number): string | null {
  if (file.size > maxBytes) return `This file is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytes)}.`;
  if (file.size === 0) return "This file is empty.";
  return null;
}
