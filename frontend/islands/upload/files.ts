import { formatBytes } from "../../lib/format";

/** Why the browser refuses this file before sending anything, or null when it may go. */
export function refusalOf(file: File, maxBytes: number): string | null {
  if (file.size > maxBytes) return `This file is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytes)}.`;
  if (file.size === 0) return "This file is empty.";
  return null;
}
