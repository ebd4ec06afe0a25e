import { expectObject, expectString, optionalString, PropsError } from "../../lib/validate";
import { parseSteps, type Step } from "./steps";

export interface RecipeColumn {
  name: string;
  type: string;
  format: string | null;
}

export interface RecipeProps {
  dataset: { id: string; title: string; pageUrl: string };
  /** GET and PUT /api/v1/datasets/{id}/recipe/. */
  recipeUrl: string;
  /** POST /api/v1/datasets/{id}/recipe/preview/. */
  previewUrl: string;
  /** /api/v1/jobs/{id}/ with the literal "{id}" to replace. */
  jobUrlTemplate: string;
  /** The current version's columns as type inference gave them, before any step. */
  columns: RecipeColumn[];
  steps: Step[];
  revision: number;
  versionNumber: number | null;
  canChange: boolean;
  /** The column whose "Change type…" link opened the page: a cast step for it is offered first. */
  focusColumn: string | null;
  dateOrder: string;
}

function parseColumns(raw: unknown): RecipeColumn[] {
  if (!Array.isArray(raw)) throw new PropsError(`"columns" must be a list`);
  return raw.map((item, index) => {
    const column = expectObject(item, `columns[${index}]`);
    return {
      name: expectString(column, "name"),
      type: expectString(column, "type"),
      format: optionalString(column, "format"),
    };
  });
}

// built by apps.datasets.recipes.islands.recipe_island_props
export function parseRecipeProps(raw: unknown): RecipeProps {
  const obj = expectObject(raw, "recipe props");
  const dataset = expectObject(obj.dataset, "dataset");
  const revision = obj.revision;
  if (typeof revision !== "number" || !Number.isInteger(revision) || revision < 0) {
    throw new PropsError(`"revision" must be a whole number`);
  }
  const versionNumber = obj.versionNumber;
  if (versionNumber !== null && typeof versionNumber !== "number")
    throw new PropsError(`"versionNumber" must be a number or null`);
  return {
    dataset: {
      id: expectString(dataset, "id"),
      title: expectString(dataset, "title"),
      pageUrl: expectString(dataset, "pageUrl"),
    },
    recipeUrl: expectString(obj, "recipeUrl"),
    previewUrl: expectString(obj, "previewUrl"),
    jobUrlTemplate: expectString(obj, "jobUrlTemplate"),
    columns: parseColumns(obj.columns),
    steps: parseSteps(obj.steps),
    revision,
    versionNumber,
    canChange: obj.canChange === true,
    focusColumn: optionalString(obj, "focusColumn"),
    dateOrder: optionalString(obj, "dateOrder") ?? "MDY",
  };
}
