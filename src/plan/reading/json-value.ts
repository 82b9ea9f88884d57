/** A place inside a value that JSON would silently change or refuse, and what was found there. */
export interface NonJsonPart {
  path: (string | number)[];
  found: string;
}

/** Every place inside a value that is not plain JSON (NaN, undefined, functions, class instances, cycles). */
export function nonJsonParts(value: unknown): NonJsonPart[] {
  const parts: NonJsonPart[] = [];
  walk(value, [], new Set(), parts);
  return parts;
}

function walk(value: unknown, path: (string | number)[], open: Set<object>, parts: NonJsonPart[]): void {
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) parts.push({ path, found: String(value) });
    return;
  }
  if (typeof value !== 'object') {
    parts.push({ path, found: value === undefined ? 'undefined' : `a ${typeof value}` });
    return;
  }
  if (open.has(value)) {
    parts.push({ path, found: 'a circular reference' });
    return;
  }
  if (!Array.isArray(value) && !isPlainObject(value)) {
    parts.push({ path, found: `an instance of ${value.constructor?.name ?? 'a class'}` });
    return;
  }
  open.add(value);
  if (Array.isArray(value)) value.forEach((item: unknown, index) => walk(item, [...path, index], open, parts));
  else for (const [key, item] of Object.entries(value)) walk(item, [...path, key], open, parts);
  open.delete(value);
}

// Compared by shape rather than against Object.prototype, which differs in a workflow sandbox or a test realm.
function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}
