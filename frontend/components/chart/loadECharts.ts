// ECharts is about a megabyte: it is fetched the first time a chart is drawn, never by pages without charts.
type ECharts = typeof import("echarts");

let loading: Promise<ECharts> | null = null;

export function loadECharts(): Promise<ECharts> {
  if (loading === null) {
    loading = import("echarts").catch((error: unknown) => {
      loading = null; // a failed download (offline, new deploy) may work on the next try
      throw error;
    });
  }
  return loading;
}
