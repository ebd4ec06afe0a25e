import { useEffect, useState } from "react";
import { apiGet } from "../../lib/api";
import { subscribe } from "../../lib/live";
import type { VersionNoticeProps } from "./props";

/** "Version N is ready — show it", when a newer version becomes current while the page is open. */
export function VersionNotice({ datasetId, apiUrl, version, url }: VersionNoticeProps) {
  const [ready, setReady] = useState<number | null>(null);

  useEffect(() => {
    const offer = (number: number) => {
      if (number > version) setReady((shown) => Math.max(shown ?? 0, number));
    };
    let asking: AbortController | null = null;
    const unsubscribe = subscribe(`dataset:${datasetId}`, {
      onEvent: (event, data) => {
        if (event === "version_ready" && data.current === true && typeof data.version === "number") offer(data.version);
      },
      // Each time the socket (re)opens, ask once: a version that became current before it listened still shows.
      onStatus: (status) => {
        if (status !== "open") return;
        asking?.abort();
        asking = new AbortController();
        apiGet<{ current_version: { number: number } | null }>(apiUrl, { signal: asking.signal }).then(
          (dataset) => {
            if (dataset.current_version) offer(dataset.current_version.number);
          },
          () => {},
        );
      },
    });
    return () => {
      asking?.abort();
      unsubscribe();
    };
  }, [datasetId, apiUrl, version]);

  if (ready === null) return null;
  return (
    <div className="alert alert-info version-notice" role="status">
      Version {ready} is ready — <a href={url}>show it</a>
    </div>
  );
}
