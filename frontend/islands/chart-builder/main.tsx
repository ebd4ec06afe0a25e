import "../../components/islands.css";
import "./chart-builder.css";
import { mountIslands } from "../../lib/islands";
import { ChartBuilder } from "./ChartBuilder";
import { parseChartBuilderProps } from "./props";

mountIslands("chart-builder", ChartBuilder, parseChartBuilderProps);
