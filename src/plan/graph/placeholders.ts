/**
 * Finds `{{ prefix… }}` placeholders in text by hand, in time linear in the text. The regular expression it replaces,
 * /\{\{\s*(prefix[^{}]*?)\s*\}\}/g, backtracks: `{{steps.` followed by 40,000 spaces took seconds, and the workflow
 * runs this scan, where two seconds trip Temporal's deadlock detector. Same matches, same bodies.
 */

/** One `{{ … }}` whose body starts with the prefix. */
export interface Placeholder {
  /** Where `{{` starts. */
  index: number;
  /** The placeholder as written, braces included. */
  whole: string;
  /** What is between the braces, without the surrounding whitespace. */
  body: string;
}

const SPACE = /\s/;

/**
 * Every placeholder in `text` whose body starts with `prefix`, in order. A body holds no braces, so only the first
 * brace after the prefix can close it; each character is looked at a bounded number of times.
 */
export function findPlaceholders(text: string, prefix: string): Placeholder[] {
  const found: Placeholder[] = [];
  let open = text.indexOf('{{');
  while (open !== -1) {
    let start = open + 2;
    while (start < text.length && SPACE.test(text[start]!)) start++;
    let next = open + 1;
    if (text.startsWith(prefix, start)) {
      const brace = firstBrace(text, start + prefix.length);
      if (brace !== -1 && text[brace] === '}' && text[brace + 1] === '}') {
        found.push({ index: open, whole: text.slice(open, brace + 2), body: text.slice(start, brace).trimEnd() });
        next = brace + 2;
      }
    }
    open = text.indexOf('{{', next);
  }
  return found;
}

function firstBrace(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x7b || code === 0x7d) return i;
  }
  return -1;
}
