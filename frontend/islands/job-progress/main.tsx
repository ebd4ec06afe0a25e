import "../../components/islands.css";
import { mountIslands } from "../../lib/islands";
import { JobProgress } from "./JobProgress";
import { parseJobProgressProps } from "./props";

mountIslands("job-progress", JobProgress, parseJobProgressProps);
