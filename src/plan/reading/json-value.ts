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

/** Whether an object or list sits `max` levels below the value; iterative, so any depth is safe to ask about. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  // Each object once: a cycle is nonJsonParts' to report, not endless depth.
  const visited = new Set<object>();
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null || visited.has(next.value)) continue;
    if (next.depth === max) return true;
    visited.add(next.value);
    for (const item of Object.values(next.value)) pending.push({ value: item, depth: next.depth + 1 });
  }
  return false;
}
