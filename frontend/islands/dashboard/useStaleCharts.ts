// Charts that follow their dataset's latest version redraw when it changes: the live socket's
// tile_stale event (channel dashboard:<id>) names them, and each gets a new refresh count.
import { useEffect, useState } from "react";
import { subscribe } from "../../lib/live";

/** chart id → how many times it went stale while the page was open (a tile refetches on each). */
export function useStaleCharts(dashboardId: string, enabled: boolean): Record<string, number> {
  const [stale, setStale] = useState<Record<string, number>>({});

  useEffect(() => {
    if (!enabled) return;
    return subscribe(`dashboard:${dashboardId}`, {
      onEvent: (event, data) => {
        if (event !== "tile_stale" || !Array.isArray(data.charts)) return;
        const charts = data.charts.filter((id): id is string => typeof id === "string");
        setStale((current) => {
          const next = { ...current };
          for (const id of charts) next[id] = (next[id] ?? 0) + 1;
          return next;
        });
      },
    });
  }, [dashboardId, enabled]);

  return stale;
}
