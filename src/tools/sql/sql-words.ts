/**
 * The words of a SQL text as PostgreSQL's lexer sees them: keywords and identifiers lower-cased, quoted identifiers
 * decoded (`"x"`, `U&"\0078"`); what is inside strings, dollar quotes and comments is skipped. Null when the text
 * uses what this reader does not follow (a UESCAPE clause, an unterminated quote or comment), so a caller refuses
 * it rather than guess. It assumes standard_conforming_strings = on, which the sql_query transaction sets.
 */
export function sqlWords(text: string): string[] | null {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^--[^\n]*/.exec(rest))) i += m[0].length;
    else if (rest.startsWith('/*')) {
      const end = blockCommentEnd(text, i);
      if (end < 0) return null;
      i = end;
    } else if ((m = /^[uU]&"((?:[^"]|"")*)"/.exec(rest))) {
      const decoded = unicodeEscapes(m[1]!.replace(/""/g, '"'));
      if (decoded === null) return null;
      words.push(decoded.toLowerCase());
      i += m[0].length;
    } else if ((m = /^"((?:[^"]|"")*)"/.exec(rest))) {
      words.push(m[1]!.replace(/""/g, '"').toLowerCase());
      i += m[0].length;
    } else if ((m = /^[eE]'(?:[^'\\]|\\[\s\S]|'')*'/.exec(rest))) i += m[0].length;
    else if ((m = /^(?:[uU]&|[bBxXnN])?'(?:[^']|'')*'/.exec(rest))) i += m[0].length;
    else if ((m = /^\$([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(rest))) {
      const end = text.indexOf(m[0], i + m[0].length);
      if (end < 0) return null;
      i = end + m[0].length;
    } else if ((m = /^[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*/.exec(rest))) {
      words.push(m[0].toLowerCase());
      i += m[0].length;
    } else if (/^["']/.test(rest))
      return null; // an unterminated quote
    else i += 1; // operators, punctuation, numbers, $1
  }
  return words.includes('uescape') ? null : words;
}

/** Where a (nestable) block comment starting at `start` ends, or -1 when it does not. */
function blockCommentEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length - 1; i++) {
    if (text.startsWith('/*', i)) {
      depth += 1;
      i += 1;
    } else if (text.startsWith('*/', i)) {
      depth -= 1;
      i += 1;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** Decodes `\XXXX` and `\+XXXXXX` (and `\\`) as in U&"..."; null when an escape is malformed. */
function unicodeEscapes(body: string): string | null {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') {
      out += body[i];
      continue;
    }
    const m = /^\\(?:\\|([0-9A-Fa-f]{4})|\+([0-9A-Fa-f]{6}))/.exec(body.slice(i));
    if (!m) return null;
    const hex = m[1] ?? m[2];
    const codePoint = hex ? parseInt(hex, 16) : 0x5c;
    if (codePoint > 0x10ffff) return null;
    out += String.fromCodePoint(codePoint);
    i += m[0].length - 1;
  }
  return out;
}
