// Test data for the dashboard island: props as dashboard_props builds them.
import type { DashboardProps } from "./props";

export const DASHBOARD_API = "/api/v1/dashboards/d1/";
export const SHARE_LINKS_URL = "/api/v1/dashboards/d1/share-links/";
export const CHART_DATA_URL = "/api/v1/charts/{chart}/data/";

export const RAIN = "11111111-1111-4111-8111-111111111111";
export const TEMPS = "22222222-2222-4222-8222-222222222222";
export const SALES = "33333333-3333-4333-8333-333333333333";

export function dashboardProps(overrides: Partial<DashboardProps> = {}): DashboardProps {
  return {
    dashboard: {
      id: "d1",
      workspace: "acme",
      slug: "weather",
      title: "Weather",
      description: "",
      filters: [],
      tiles: [
        { id: 1, chart: RAIN, text: "", x: 0, y: 0, w: 6, h: 5 },
        { id: 2, chart: TEMPS, text: "", x: 6, y: 0, w: 6, h: 5 },
        { id: 3, chart: null, text: "Source: NOAA\n<b>daily</b> data", x: 0, y: 5, w: 12, h: 2 },
      ],
      page_url: "/w/acme/dashboards/weather/",
    },
    apiUrl: DASHBOARD_API,
    shareLinksUrl: SHARE_LINKS_URL,
    charts: {
      [RAIN]: {
        id: RAIN,
        title: "Rainy days",
        chart_type: "bar",
        query: { group_by: ["weather"], measures: [{ fn: "count" }] },
        options: { x: "weather", measures: ["count"] },
        dataset_title: "Seattle weather",
        builder_url: "",
        columns: ["date", "temp_max", "weather"],
        version_number: null,
      },
      [TEMPS]: {
        id: TEMPS,
        title: "Hottest day",
        chart_type: "kpi",
        query: { measures: [{ fn: "max", column: "temp_max" }] },
        options: { measures: ["max_temp_max"] },
        dataset_title: "Seattle weather",
        builder_url: "",
        columns: ["date", "temp_max", "weather"],
        version_number: 2,
      },
      [SALES]: {
        id: SALES,
        title: "Sales by region",
        chart_type: "pie",
        query: { group_by: ["region"], measures: [{ fn: "sum", column: "amount" }] },
        options: { x: "region", measures: ["sum_amount"] },
        dataset_title: "Sales",
        builder_url: "",
        columns: ["amount", "region"],
        version_number: null,
      },
    },
    canEdit: true,
    shared: false,
    tileDataUrl: CHART_DATA_URL,
    ...overrides,
  };
}

export function chartAnswer(chart: string, filtersApplied: unknown[] = []) {
  if (chart === TEMPS) {
    return {
      columns: [{ name: "max_temp_max", type: "float" }],
      rows: [{ max_temp_max: 35.6 }],
      version: 2,
      cached: true,
      filters_applied: filtersApplied,
    };
  }
  return {
    columns: [
      { name: "weather", type: "text" },
      { name: "count", type: "integer" },
    ],
    rows: [
      { weather: "rain", count: 641 },
      { weather: "sun", count: 640 },
    ],
    version: 3,
    cached: false,
    filters_applied: filtersApplied,
  };
}
