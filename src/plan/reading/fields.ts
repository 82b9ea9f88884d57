import { closestName, didYouMean } from './closest-name';
import type { IntegerRange } from '../limits';
import type { Problem } from '../types';

/** An object as read from a plan file, before its fields are checked. */
export type Fields = Record<string, unknown>;

/** Where fields are read from, so that each problem names its step and its field. */
export interface Scope {
  readonly problems: Problem[];
  readonly stepId: string | null;
  /** Put before field names: '', 'options.', 'compensate.', or 'steps[3].' for a step without a usable id. */
  readonly prefix: string;
  /**
   * Fields (with the prefix) whose value as written could not be read, or whose key looks misspelt: checks of the
   * whole plan skip what relies on them, rather than report what is only a consequence of a problem already reported.
   */
  readonly unread?: Set<string>;
}

/** A test for a field's value, and the words that say what the value must be. */
export interface Expectation<T> {
  readonly test: (value: unknown) => value is T;
  readonly description: string;
}

/** Whether a value is an object with fields (not null, not a list). */
export function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field's own value, so that nothing inherited from a prototype is read as if it were written. */
export function own(source: Fields, key: string): unknown {
  return Object.hasOwn(source, key) ? source[key] : undefined;
}

/** The scope of an object nested under `name`. */
export function nested(scope: Scope, name: string): Scope {
  return { ...scope, prefix: `${scope.prefix}${name}.` };
}

/** Records a problem with `key` in this scope, or with the scope itself when key is null. */
export function report(scope: Scope, key: string | null, message: string): void {
  const container = scope.prefix.endsWith('.') ? scope.prefix.slice(0, -1) : scope.prefix;
  if (key !== null) scope.unread?.add(scope.prefix + key);
  scope.problems.push({ stepId: scope.stepId, field: key === null ? container || null : scope.prefix + key, message });
}

/** Reports every key not in `known`, with the likeliest intended key when one is close. */
export function reportUnknownKeys(scope: Scope, source: Fields, known: readonly string[]): void {
  for (const key of Object.keys(source)) {
    if (known.includes(key)) continue;
    const meant = closestName(key, known);
    report(scope, null, `unknown key "${key}"${didYouMean(meant)}`);
    // The value under a misspelt key is the one meant for `meant`, which reads as absent.
    if (meant !== null) scope.unread?.add(scope.prefix + meant);
  }
}

/** An optional field's value, or undefined when it is absent or wrong (then reported). */
export function read<T>(scope: Scope, source: Fields, key: string, expected: Expectation<T>): T | undefined {
  const value = own(source, key);
  if (value === undefined) return undefined;
  if (expected.test(value)) return value;
  report(scope, key, `must be ${expected.description}`);
  return undefined;
}

/** Like read, for a field whose normalised form is nullable: an explicit null is kept. */
export function readNullable<T>(
  scope: Scope,
  source: Fields,
  key: string,
  expected: Expectation<T>,
): T | null | undefined {
  return own(source, key) === null ? null : read(scope, source, key, expected);
}

/** Like read, but reports a missing (or null) field. */
export function readRequired<T>(scope: Scope, source: Fields, key: string, expected: Expectation<T>): T | undefined {
  if (own(source, key) == null) {
    report(scope, key, 'required');
    return undefined;
  }
  return read(scope, source, key, expected);
}

/** A list whose items must each meet `item`; wrong items are reported one by one and left out. */
export function readList<T>(
  scope: Scope,
  source: Fields,
  key: string,
  item: Expectation<T>,
  listDescription: string,
): T[] | undefined {
  const value = own(source, key);
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    report(scope, key, `must be ${listDescription}`);
    return undefined;
  }
  const items: T[] = [];
  value.forEach((element: unknown, index) => {
    if (item.test(element)) items.push(element);
    else report(scope, `${key}[${index}]`, `must be ${item.description}`);
  });
  return items;
}

export const A_STRING: Expectation<string> = {
  test: (value): value is string => typeof value === 'string',
  description: 'a string',
};

export const A_NAME: Expectation<string> = {
  test: (value): value is string => typeof value === 'string' && value.length > 0,
  description: 'a non-empty string',
};

export const A_BOOLEAN: Expectation<boolean> = {
  test: (value): value is boolean => typeof value === 'boolean',
  description: 'true or false',
};

/** Expects one of a few words. */
export function oneOf<T extends string>(values: readonly T[]): Expectation<T> {
  return {
    test: (value): value is T => (values as readonly unknown[]).includes(value),
    description: `one of ${values.map((v) => `"${v}"`).join(', ')}`,
  };
}

/** Expects an integer within a range, and says the range. */
export function integerIn(range: IntegerRange): Expectation<number> {
  const bounds =
    range.max === Number.MAX_SAFE_INTEGER
      ? `of at least ${range.min}`
      : `between ${range.min} and ${range.max}${range.note === undefined ? '' : ` (${range.note})`}`;
  return {
    test: (value): value is number =>
      typeof value === 'number' && Number.isInteger(value) && value >= range.min && value <= range.max,
    description: `an integer ${bounds}`,
  };
}
