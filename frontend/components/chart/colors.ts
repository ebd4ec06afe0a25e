// Colours that belong to a category, not to its position in an answer: "fog" keeps its colour when a
// dashboard filter removes "drizzle", because a saved chart carries the categories it had (options.categories).

/** Ten distinct colours, the first ones those of the app (accent blue, green, amber). */
export const PALETTE = [
  "#2f5bea",
  "#18a06a",
  "#e0a100",
  "#d9493f",
  "#7b4fd6",
  "#1aa3c2",
  "#e0702b",
  "#c2408c",
  "#6b8e23",
  "#5d6b82",
] as const;

function hash(text: string): number {
  let value = 2166136261; // FNV-1a: small, stable across browsers
  for (let i = 0; i < text.length; i += 1) {
    value ^= text.charCodeAt(i);
    value = Math.imul(value, 16777619);
  }
  return value >>> 0;
}

/** A colour for each name. With `domain` (the categories a saved chart had), a name takes the colour of
 * its place there, so no two of them share one; a name outside it, or every name of an unsaved chart,
 * takes the colour of its hash. Either way a name's colour never depends on which others are present. */
export function colorsFor(names: readonly string[], domain: readonly string[] = []): Map<string, string> {
  const colors = new Map<string, string>();
  for (const name of names) {
    const place = domain.indexOf(name);
    const index = place >= 0 ? place % PALETTE.length : hash(name) % PALETTE.length;
    colors.set(name, PALETTE[index] as string);
  }
  return colors;
}
