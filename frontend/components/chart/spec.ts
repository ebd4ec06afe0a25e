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
  // A saved (normalized) query names every measure: only a name of the user's own is shown as it is.
  if (measure === undefined || (measure.as && measure.as !== measureName({ ...measure, as: undefined }))) return name;
  const fn = FN_LABELS[measure.fn] ?? measure.fn;
  return measure.column ? `${fn} ${measure.column}` : fn;
}

/** How a group reads in a title: "month" for a date bucketed by month, else the column's name. */
export function groupLabel(group: QueryGroup): string {
  const bucket = groupBucket(group);
  return bucket ?? groupColumn(group);
}

/** "A", "A and B", "A, B and C", then "A, B and 2 more" past `most` items. */
function readableList(items: string[], most: number): string {
  const [only] = items;
  if (items.length === 1 && only !== undefined) return only;
  if (items.length > most) return `${items.slice(0, most - 1).join(", ")} and ${items.length - most + 1} more`;
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** A chart's readable title from its query: "Average temp_max by month", "Count by weather and year". */
export function queryTitle(query: AggregateQuery, chartType: string): string {
  const groups = query.group_by ?? [];
  const labels = (query.measures ?? []).map((m) => outputLabel(query, measureName(m)));
  const measure = labels.length === 0 ? "Rows" : readableList(labels, 3);
  if (chartType === "histogram" && groups[0] !== undefined) return `Distribution of ${groupColumn(groups[0])}`;
  if (groups.length === 0) return measure;
  return `${measure} by ${groups.map(groupLabel).join(" and ")}`;
}
