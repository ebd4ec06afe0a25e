// Props and answers shaped like the server's (apps.datasets.recipes.islands.recipe_island_props, the preview API).
import type { PreviewAnswer } from "./preview";

export const DATASET_ID = "5b0c2f0e-2f5e-4a8e-9a3c-0c6b1b1f1a2b";
export const RECIPE_URL = `/api/v1/datasets/${DATASET_ID}/recipe/`;
export const PREVIEW_URL = `/api/v1/datasets/${DATASET_ID}/recipe/preview/`;
export const JOB_ID = "7d1d3b44-1f7a-4c1e-8d6a-2f0b8e7c9a11";

export function recipeProps(overrides: Record<string, unknown> = {}) {
  return {
    dataset: { id: DATASET_ID, title: "Hardware", pageUrl: "/w/acme/hardware/" },
    recipeUrl: RECIPE_URL,
    previewUrl: PREVIEW_URL,
    jobUrlTemplate: "/api/v1/jobs/{id}/",
    columns: [
      { name: "item", type: "text", format: null },
      { name: "price", type: "text", format: null },
    ],
    steps: [],
    revision: 0,
    versionNumber: 1,
    canChange: true,
    focusColumn: null,
    dateOrder: "MDY",
    ...overrides,
  };
}

export function previewAnswer(decimal: string | null): PreviewAnswer {
  const converted = decimal === ",";
  return {
    columns: [
      { name: "item", type: "text", format: null },
      { name: "price", type: "float", format: null },
    ],
    rows: [
      { item: "bolt", price: converted ? 3.5 : null },
      { item: "nut", price: converted ? 12.25 : null },
    ],
    steps: [
      {
        op: "cast",
        rows_after: 2,
        values_changed: 2,
        errors: converted ? 0 : 2,
        error_examples: converted ? [] : ["12,25", "3,5"],
      },
    ],
    counted_rows: 2,
    sampled: false,
  };
}
