import { optionalNumber, parseChart, type Chart } from "../../lib/contract";
import { expectObject, expectString, PropsError } from "../../lib/validate";

/** A column of the dataset's current version with its profile figures (null when not profiled). */
export interface ProfileColumn {
  name: string;
  type: string;
  distinct: number | null;
  nulls: number | null;
  min: number | string | null;
  max: number | string | null;
}

export interface ChartBuilderProps {
  dataset: { id: string; title: string; pageUrl: string };
  columns: ProfileColumn[];
  /** POST: the aggregate query over the current version. */
  queryUrl: string;
  /** /api/v1/charts/: POST a new chart, PATCH <chartsUrl><id>/, GET <chartsUrl><id>/data/. */
  chartsUrl: string;
  /** The workspace's dashboards: /api/v1/dashboards/?workspace=<slug>. */
  dashboardsUrl: string;
  workspace: string;
  /** Ready version numbers, newest first. */
  versions: number[];
  currentVersion: number | null;
  canSave: boolean;
  /** A saved chart to edit, or null for a new one. */
  chart: Chart | null;
}

function profileValue(value: unknown): number | string | null {
  return typeof value === "number" || typeof value === "string" ? value : null;
}

function parseColumns(raw: unknown): ProfileColumn[] {
  if (!Array.isArray(raw)) throw new PropsError(`"columns" must be a list`);
  return raw.map((item, index) => {
    const column = expectObject(item, `columns[${index}]`);
    return {
      name: expectString(column, "name"),
      type: expectString(column, "type"),
      distinct: optionalNumber(column, "distinct"),
      nulls: optionalNumber(column, "nulls"),
      min: profileValue(column.min),
      max: profileValue(column.max),
    };
  });
}

// built by apps.dashboards.islands.explore_props (rendered by explore_view)
export function parseChartBuilderProps(raw: unknown): ChartBuilderProps {
  const obj = expectObject(raw, "chart-builder props");
  const dataset = expectObject(obj.dataset, "dataset");
  const versions = obj.versions;
  if (!Array.isArray(versions) || !versions.every((n) => typeof n === "number")) {
    throw new PropsError(`"versions" must be a list of version numbers`);
  }
  return {
    dataset: {
      id: expectString(dataset, "id"),
      title: expectString(dataset, "title"),
      pageUrl: expectString(dataset, "pageUrl"),
    },
    columns: parseColumns(obj.columns),
    queryUrl: expectString(obj, "queryUrl"),
    chartsUrl: expectString(obj, "chartsUrl"),
    dashboardsUrl: expectString(obj, "dashboardsUrl"),
    workspace: expectString(obj, "workspace"),
    versions: versions as number[],
    currentVersion: optionalNumber(obj, "currentVersion"),
    canSave: obj.canSave === true,
    chart: obj.chart === null || obj.chart === undefined ? null : parseChart(obj.chart),
  };
}
