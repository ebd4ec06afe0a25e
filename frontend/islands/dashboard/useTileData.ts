// One chart tile's data, fetched on its own: a slow or failing tile never holds up or breaks the others.
import { useCallback, useEffect, useState } from "react";
import { parseFilters, parseQueryAnswer, type DashboardFilter, type QueryAnswer } from "../../lib/contract";
import { apiGet, errorMessage } from "../../lib/api";

export interface TileData {
  loading: boolean;
  error: string | null;
  data: QueryAnswer | null;
  /** The version the data was read from (the latest one for charts that follow the dataset). */
  version: number | null;
  /** The dashboard filters the server applied: those whose column the chart's dataset has. */
  filtersApplied: DashboardFilter[];
}

const INITIAL: TileData = { loading: true, error: null, data: null, version: null, filtersApplied: [] };

/** `refresh` changing (the chart's dataset got a new version) fetches again, keeping the old drawing meanwhile. */
export function useTileData(url: string | null, refresh = 0): TileData & { retry: () => void } {
  const [state, setState] = useState<TileData>(INITIAL);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (url === null) {
      setState({ ...INITIAL, loading: false });
      return;
    }
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true, error: null }));
    apiGet<unknown>(url, { signal: controller.signal }).then(
      (answer) => {
        if (controller.signal.aborted) return;
        try {
          const body = answer as { version?: unknown; filters_applied?: unknown };
          setState({
            loading: false,
            error: null,
            data: parseQueryAnswer(answer),
            version: typeof body.version === "number" ? body.version : null,
            filtersApplied: parseFilters(body.filters_applied),
          });
        } catch (caught) {
          setState({ ...INITIAL, loading: false, error: errorMessage(caught) });
        }
      },
      (caught: unknown) => {
        if (!controller.signal.aborted) setState({ ...INITIAL, loading: false, error: errorMessage(caught) });
      },
    );
    return () => controller.abort();
  }, [url, attempt, refresh]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, retry };
}
