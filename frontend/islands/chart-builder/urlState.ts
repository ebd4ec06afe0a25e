// The builder's whole state in the page's URL (`?b=`), so an unsaved or changed chart can be shared and
// survives a reload; `?chart=<id>` still names the saved chart it started from.
import { parseChartSpec, type ChartSpec } from "../../lib/contract";

export const STATE_PARAM = "b";
const CHART_PARAM = "chart";

export interface UrlBuilderState {
  spec: ChartSpec;
  title: string;
  version: number | null;
}

export function encodeBuilderState(state: UrlBuilderState): string {
  const { spec, title, version } = state;
  return JSON.stringify({ t: spec.chart_type, q: spec.query, o: spec.options, n: title, v: version });
}

/** The state kept in `search`, or null when there is none or it is not a chart (a mangled link opens the
 * saved chart or the default one instead). */
export function readBuilderState(search: string): UrlBuilderState | null {
  const raw = new URLSearchParams(search).get(STATE_PARAM);
  if (raw === null) return null;
  try {
    const obj = JSON.parse(raw) as Record<string, unknown>;
    const spec = parseChartSpec({ chart_type: obj.t, query: obj.q, options: obj.o }, "chart in the URL");
    const version = typeof obj.v === "number" && Number.isInteger(obj.v) && obj.v > 0 ? obj.v : null;
    return { spec, title: typeof obj.n === "string" ? obj.n.slice(0, 200) : "", version };
  } catch {
    return null;
  }
}

/** The URL for the builder as it is now: the saved chart's id, and the state when it differs from it. */
export function builderSearch(current: string, chartId: string | null, state: UrlBuilderState | null): string {
  const params = new URLSearchParams(current);
  if (chartId === null) params.delete(CHART_PARAM);
  else params.set(CHART_PARAM, chartId);
  if (state === null) params.delete(STATE_PARAM);
  else params.set(STATE_PARAM, encodeBuilderState(state));
  const search = params.toString();
  return search === "" ? "" : `?${search}`;
}
