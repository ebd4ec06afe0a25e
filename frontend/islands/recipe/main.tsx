import "../../components/islands.css";
import "./recipe.css";
import { mountIslands } from "../../lib/islands";
import { RecipeIsland } from "./RecipeIsland";
import { parseRecipeProps } from "./props";

mountIslands("recipe", RecipeIsland, parseRecipeProps);
