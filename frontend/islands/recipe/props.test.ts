import { describe, expect, it } from "vitest";
import { recipeProps } from "./fixtures";
import { parseRecipeProps } from "./props";

describe("parseRecipeProps", () => {
  it("reads the props recipe_island_props builds", () => {
    const props = parseRecipeProps(recipeProps());
    expect(props.columns[1]).toEqual({ name: "price", type: "text", format: null });
    expect(props.canChange).toBe(true);
    expect(props.dateOrder).toBe("MDY");
  });

  it("names what is wrong", () => {
    expect(() => parseRecipeProps({ ...recipeProps(), revision: -1 })).toThrow(/revision/);
    expect(() => parseRecipeProps({ ...recipeProps(), columns: {} })).toThrow(/"columns" must be a list/);
    expect(() => parseRecipeProps({ ...recipeProps(), previewUrl: "" })).toThrow(/previewUrl/);
  });
});
