import { useEffect, useState } from "react";
import { subscribe } from "../../lib/live";
import type { VersionNoticeProps } from "./props";

/** "Version N is ready — show it", when a newer version becomes current while the page is open. */
export function VersionNotice({ datasetId, version, url }: VersionNoticeProps) {
  const [ready, setReady] = useState<number | null>(null);

  useEffect(
    () =>
      subscribe(`dataset:${datasetId}`, {
        onEvent: (event, data) => {
          const number = data.version;
          if (event !== "version_ready" || data.current !== true || typeof number !== "number") return;
          if (number > version) setReady((shown) => Math.max(shown ?? 0, number));
        },
      }),
    [datasetId, version],
  );

  if (ready === null) return null;
  return (
    <div className="alert alert-info version-notice" role="status">
      Version {ready} is ready — <a href={url}>show it</a>
    </div>
  );
}
