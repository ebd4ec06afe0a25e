// Naming an aggregate query's outputs as the server does, and labelling them for people.
import type { AggregateQuery, QueryGroup, QueryMeasure } from "../../lib/contract";

/** A measure's output name, as the server names it: `count`, `<fn>_<column>`, or its `as`. */
export function measureName(measure: QueryMeasure): string {
  if (measure.as) return measure.as;
  if (measure.column === undefined || measure.column === null) return "count";
  return `${measure.fn}_${measure.column}`;
}

/** A group's output name: the grouped column's own name (also for buckets and bins). */
export function groupColumn(group: QueryGroup): string {
  return typeof group === "string" ? group : group.column;
}

export function groupBinWidth(group: QueryGroup | undefined): number | null {
  if (group === undefined || typeof group === "string") return null;
  return typeof group.bin_width === "number" && group.bin_width > 0 ? group.bin_width : null;
}

export function groupBucket(group: QueryGroup | undefined): string | null {
  if (group === undefined || typeof group === "string") return null;
  return group.bucket ?? null;
}

const FN_LABELS: Record<string, string> = {
  count: "Count",
  count_distinct: "Distinct",
  sum: "Sum of",
  avg: "Average",
  min: "Min",
  max: "Max",
  median: "Median",
};

/** A readable label for an output column: "Count", "Average temp_max", or the name itself. */
export function outputLabel(query: AggregateQuery, name: string): string {
  const measure = (query.measures ?? []).find((m) => measureName(m) === name);
  if (measure === undefined || measure.as) return name;
  const fn = FN_LABELS[measure.fn] ?? measure.fn;
  return measure.column ? `${fn} ${measure.column}` : fn;
}
