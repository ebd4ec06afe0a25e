import "../../components/grid/grid.css";
import { mountIslands } from "../../lib/islands";
import { GridIsland } from "./GridIsland";
import { parseGridProps } from "./props";

mountIslands("grid", GridIsland, parseGridProps);
