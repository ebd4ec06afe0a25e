// The live preview: POST the query a moment after the last change, dropping answers to stale queries.
import { useEffect, useRef, useState } from "react";
import { parseQueryAnswer, type ChartSpec, type QueryAnswer } from "../../lib/contract";
import { apiRequest, errorMessage } from "../../lib/api";

export const PREVIEW_DELAY_MS = 300;

export interface PreviewState {
  /** The last answer received; it may answer an older query while `loading`. */
  data: QueryAnswer | null;
  /** The spec that asked for `data`: the current one when the query is unchanged, else the older one. */
  dataSpec: ChartSpec | null;
  loading: boolean;
  error: string | null;
}

interface Answered {
  key: string;
  spec: ChartSpec;
  data: QueryAnswer;
}

/** A stable key for a request: the same body to the same URL gives the same key and is not sent again. */
function requestKey(url: string, spec: ChartSpec | null): string | null {
  return spec === null ? null : JSON.stringify([url, spec.query]);
}

export function usePreview(url: string, spec: ChartSpec | null, delayMs = PREVIEW_DELAY_MS): PreviewState {
  const key = requestKey(url, spec);
  const [answered, setAnswered] = useState<Answered | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latestSpec = useRef(spec);
  latestSpec.current = spec;
  const answeredKey = answered?.key ?? null;

  useEffect(() => {
    const asked = latestSpec.current;
    if (key === null || asked === null || key === answeredKey) {
      // nothing to ask, or back to the query the preview already shows
      setLoading(false);
      setError(null);
      return;
    }
    setLoading(true);
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const answer = await apiRequest<unknown>("POST", url, asked.query, { signal: controller.signal });
        if (controller.signal.aborted) return;
        setAnswered({ key, spec: asked, data: parseQueryAnswer(answer) });
        setError(null);
        setLoading(false);
      } catch (caught) {
        if (controller.signal.aborted) return;
        setError(errorMessage(caught));
        setLoading(false);
      }
    }, delayMs);
    return () => {
      clearTimeout(timer);
      controller.abort(); // a newer query supersedes this one, answered or not
    };
    // answeredKey is read, not watched: a new answer must not trigger another request
  }, [url, key, delayMs]);

  if (answered === null) return { data: null, dataSpec: null, loading, error };
  return { data: answered.data, dataSpec: answered.key === key ? spec : answered.spec, loading, error };
}
