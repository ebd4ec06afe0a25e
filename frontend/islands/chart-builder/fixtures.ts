// Test data for the chart-builder island: props as explore_props builds them.
import type { ChartBuilderProps, ProfileColumn } from "./props";

export const DATASET_ID = "5b0e7a52-3c1d-4e8f-9a6b-2d4c8e1f0a37";
export const QUERY_URL = `/api/v1/datasets/${DATASET_ID}/query/`;
export const CHARTS_URL = "/api/v1/charts/";
export const DASHBOARDS_URL = "/api/v1/dashboards/?workspace=acme";

export const COLUMNS: ProfileColumn[] = [
  { name: "date", type: "date", distinct: 1461, nulls: 0, min: "2012-01-01", max: "2015-12-31" },
  { name: "weather", type: "text", distinct: 5, nulls: 0, min: "drizzle", max: "sun" },
  { name: "temp_max", type: "float", distinct: 67, nulls: 0, min: -1.6, max: 35.6 },
];

export function builderProps(overrides: Partial<ChartBuilderProps> = {}): ChartBuilderProps {
  return {
    dataset: { id: DATASET_ID, title: "Seattle weather", pageUrl: "/w/acme/seattle-weather/" },
    columns: COLUMNS,
    queryUrl: QUERY_URL,
    chartsUrl: CHARTS_URL,
    dashboardsUrl: DASHBOARDS_URL,
    workspace: "acme",
    versions: [2, 1],
    currentVersion: 2,
    canSave: true,
    chart: null,
    ...overrides,
  };
}

export const MONTHLY_COUNTS = {
  columns: [
    { name: "date", type: "date" },
    { name: "count", type: "integer" },
  ],
  rows: [
    { date: "2012-01-01", count: 31 },
    { date: "2012-02-01", count: 29 },
  ],
};

export const WEATHER_COUNTS = {
  columns: [
    { name: "weather", type: "text" },
    { name: "count", type: "integer" },
  ],
  rows: [
    { weather: "rain", count: 641 },
    { weather: "sun", count: 640 },
  ],
};
