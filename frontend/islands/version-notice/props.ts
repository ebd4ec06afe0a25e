import { expectObject, expectString } from "../../lib/validate";

export interface VersionNoticeProps {
  datasetId: string;
  /** GET: the dataset, whose current_version says what is current now. */
  apiUrl: string;
  /** The version the page shows as current (0 when none is ready yet). */
  version: number;
  /** The dataset page, which shows the current version. */
  url: string;
}

// built by apps.live.islands.version_notice_props
export function parseVersionNoticeProps(raw: unknown): VersionNoticeProps {
  const obj = expectObject(raw, "version-notice props");
  const version = obj.version;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 0) {
    throw new Error('"version" must be a whole number');
  }
  return {
    datasetId: expectString(obj, "datasetId"),
    apiUrl: expectString(obj, "apiUrl"),
    version,
    url: expectString(obj, "url"),
  };
}
