import "react-grid-layout/css/styles.css";
import "react-resizable/css/styles.css";
import "../../components/islands.css";
import "./dashboard.css";
import { mountIslands } from "../../lib/islands";
import { DashboardIsland } from "./DashboardIsland";
import { parseDashboardProps } from "./props";

mountIslands("dashboard", DashboardIsland, parseDashboardProps);
