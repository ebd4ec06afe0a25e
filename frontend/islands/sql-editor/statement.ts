// Which text Ctrl/Cmd-Enter runs, and where in the editor a refusal's position falls.

export interface Span {
  from: number;
  to: number;
}

/**
 * The statement around `cursor`: the text between the semicolons on either side, skipping semicolons inside
 * quotes ('…', "…", $$…$$) and comments (-- and /* *\/), trimmed. With a selection, the selection itself.
 */
export function statementAt(text: string, cursor: number, selection: Span | null = null): Span {
  if (selection && selection.to > selection.from) return trim(text, selection);
  const segments: Span[] = [];
  let from = 0;
  let i = 0;
  while (i < text.length) {
    const two = text.slice(i, i + 2);
    const ch = text[i];
    if (two === "--") {
      const end = text.indexOf("\n", i);
      i = end === -1 ? text.length : end;
    } else if (two === "/*") {
      const end = text.indexOf("*/", i + 2);
      i = end === -1 ? text.length : end + 2;
    } else if (two === "$$") {
      const end = text.indexOf("$$", i + 2);
      i = end === -1 ? text.length : end + 2;
    } else if (ch === "'" || ch === '"') {
      let j = i + 1;
      // a doubled quote is an escaped one, not the end
      while (j < text.length && (text[j] !== ch || text[j + 1] === ch)) j += text[j] === ch ? 2 : 1;
      i = j + 1;
    } else {
      if (ch === ";") {
        segments.push({ from, to: i });
        from = i + 1;
      }
      i += 1;
    }
  }
  segments.push({ from, to: text.length });
  let index = segments.findIndex((segment) => cursor <= segment.to);
  if (index === -1) index = segments.length - 1;
  // Blank text after the last semicolon means the statement before it.
  const blank = (segment: Span | undefined) => !segment || text.slice(segment.from, segment.to).trim() === "";
  while (index > 0 && blank(segments[index])) index--;
  return trim(text, segments[index] ?? { from: 0, to: text.length });
}

function trim(text: string, span: Span): Span {
  let { from, to } = span;
  while (from < to && /\s/.test(text.charAt(from))) from++;
  while (to > from && /[\s;]/.test(text.charAt(to - 1))) to--;
  return { from, to };
}

export interface ErrorPosition {
  line?: number;
  column?: number;
  start?: number;
  end?: number;
}

/** The document range a refusal points at, given where the sent statement starts in the document. */
export function errorRange(statement: string, offset: number, details: ErrorPosition, docLength: number): Span | null {
  let from: number | null = null;
  let to: number | null = null;
  if (typeof details.start === "number") {
    from = details.start;
    to = typeof details.end === "number" ? details.end + 1 : from + 1;
  } else if (typeof details.line === "number") {
    const lines = statement.split("\n");
    const line = Math.min(Math.max(details.line, 1), lines.length);
    from = lines.slice(0, line - 1).reduce((sum, l) => sum + l.length + 1, 0) + Math.max((details.column ?? 1) - 1, 0);
    to = from + 1;
  }
  if (from === null || to === null) return null;
  const clamp = (n: number) => Math.min(Math.max(n + offset, 0), docLength);
  const range = { from: clamp(from), to: clamp(Math.max(to, from + 1)) };
  return range.to > range.from ? range : { from: Math.max(range.from - 1, 0), to: range.from };
}
