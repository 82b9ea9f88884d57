/**
 * `{{secrets.NAME}}`: a credential named in a plan, its value supplied by the worker inside the activity, so the value
 * never enters the plan, Temporal's history or the mirror. The workflow never resolves these; it only says where the
 * plan wrote them (the slots), and the activity fills in those places alone: a `{{secrets.…}}` that arrives inside
 * an earlier step's result (text from the world) is data, never resolved.
 */
import { findPlaceholders } from './placeholders';
import { visitStrings } from './references';

/** Where one string of a step's parameters holds secret references, and which names it was written with. */
export interface SecretSlot {
  location: (string | number)[];
  names: string[];
}

export const SECRET_SYNTAX = '{{secrets.<NAME>}} (letters, digits and "_", starting with a letter or "_")';

// Only `{{ secrets.… }}` is ours here; `{{steps.…}}` is references.ts's and other braces belong to the tools.
const PREFIX = 'secrets.';
const SECRET = /^secrets\.([A-Za-z_][A-Za-z0-9_]{0,127})$/;

function nameOf(body: string): string | null {
  return SECRET.exec(body)?.[1] ?? null;
}

/** Every string holding well-formed secret references, with the names it uses. */
export function secretSlots(value: unknown): SecretSlot[] {
  const slots: SecretSlot[] = [];
  visitStrings(value, [], (text, location) => {
    const names = findPlaceholders(text, PREFIX).flatMap(({ body }) => nameOf(body) ?? []);
    if (names.length > 0) slots.push({ location, names: [...new Set(names)] });
  });
  return slots;
}

/** Every `{{secrets.…}}` inside a value that is not a well-formed secret reference. */
export function malformedSecretReferences(value: unknown): { text: string; location: (string | number)[] }[] {
  const malformed: { text: string; location: (string | number)[] }[] = [];
  visitStrings(value, [], (text, location) => {
    for (const { whole, body } of findPlaceholders(text, PREFIX)) {
      if (nameOf(body) === null) malformed.push({ text: whole, location });
    }
  });
  return malformed;
}

/** Where strings holding any secret reference (well-formed or not) sit: their values are known only at run time. */
export function secretLocations(value: unknown): (string | number)[][] {
  const locations: (string | number)[][] = [];
  visitStrings(value, [], (text, location) => {
    if (mentionsSecret(text)) locations.push(location);
  });
  return locations;
}

/** Whether a string holds any secret reference, well-formed or not. */
export function mentionsSecret(text: string): boolean {
  return findPlaceholders(text, PREFIX).length > 0;
}

/**
 * Fills the slots' secret references in (resolved) parameters with `lookUp(name)`, only the names each slot was
 * written with; returns the parameters and the values used, for scrubbing. `lookUp` throws for an unknown name.
 */
export function resolveSecretSlots(
  parameters: Record<string, unknown>,
  slots: readonly SecretSlot[],
  lookUp: (name: string) => string,
): { parameters: Record<string, unknown>; values: string[] } {
  const values = new Set<string>();
  let out: unknown = parameters;
  for (const { location, names } of slots) {
    out = replaceAt(out, location, (text) => {
      let written = '';
      let from = 0;
      for (const { index, whole, body } of findPlaceholders(text, PREFIX)) {
        const name = nameOf(body);
        if (name === null || !names.includes(name)) continue;
        const value = lookUp(name);
        if (value !== '') values.add(value);
        written += text.slice(from, index) + value;
        from = index + whole.length;
      }
      return written + text.slice(from);
    });
  }
  return { parameters: out as Record<string, unknown>, values: [...values] };
}

/** A copy of `value` with the string at `location` rewritten; anything else there (or nothing) is left alone. */
function replaceAt(value: unknown, location: readonly (string | number)[], rewrite: (text: string) => string): unknown {
  if (location.length === 0) return typeof value === 'string' ? rewrite(value) : value;
  const [head, ...rest] = location;
  if (Array.isArray(value) && typeof head === 'number' && head < value.length) {
    return value.map((item, i) => (i === head ? replaceAt(item, rest, rewrite) : item));
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, head!)) {
    const fields = value as Record<string, unknown>;
    return { ...fields, [head!]: replaceAt(fields[head!], rest, rewrite) };
  }
  return value;
}
