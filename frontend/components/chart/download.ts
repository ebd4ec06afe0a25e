// Save a file from the page: a URL the server answers with an attachment, a data: URL, or text built here.

/** Follow `href` as a download named `filename` (the server's Content-Disposition wins when it sends one). */
export function downloadUrl(href: string, filename: string): void {
  const link = document.createElement("a");
  link.href = href;
  link.download = filename;
  link.rel = "noopener";
  document.body.append(link);
  link.click();
  link.remove();
}

export function downloadText(text: string, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  downloadUrl(url, filename);
  // revoke on the next turn: the click has started the download by then
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** A file name from a title: "Rain by month" → "rain-by-month". */
export function fileSlug(title: string, fallback = "chart"): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug || fallback;
}
