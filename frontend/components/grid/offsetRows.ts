// A grid's rows from an endpoint that pages by `_size` and `_offset` and answers `{columns, rows, total}`:
// a dataset version's GET .../rows/, or an SQL result's GET /api/v1/sql/results/{job_id}/rows/.
import { apiGet } from "../../lib/api";
import { parseRowsAnswer } from "../../lib/contract";
import type { RowSource } from "./useRowPages";

/** `url` with `params` added to any query string it already has. */
export function withParams(url: string, params: URLSearchParams): string {
  const at = url.indexOf("?");
  const path = at === -1 ? url : url.slice(0, at);
  const merged = new URLSearchParams(at === -1 ? "" : url.slice(at + 1));
  for (const [key, value] of params) merged.append(key, value);
  const search = merged.toString();
  return search ? `${path}?${search}` : path;
}

/** One page: `size` rows from the 0-based `offset`, with `params` (filters, sort, ...) after them. */
export function offsetPageUrl(url: string, params: URLSearchParams, offset: number, size: number): string {
  const all = new URLSearchParams({ _size: String(size), _offset: String(offset) });
  for (const [key, value] of params) all.append(key, value);
  return withParams(url, all);
}

/** The rows `url` answers with `params`; other params (another filter, another sort) are other rows. */
export function offsetRowsSource(url: string, params: URLSearchParams = new URLSearchParams()): RowSource {
  return {
    key: withParams(url, params),
    fetchPage: async (offset, size, signal) =>
      parseRowsAnswer(await apiGet<unknown>(offsetPageUrl(url, params, offset, size), { signal })),
  };
}
