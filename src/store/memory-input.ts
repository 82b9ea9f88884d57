/**
 * Checks what callers hand to shared memory before it reaches SQL, so a bad input fails with a message naming it
 * rather than with a PostgreSQL error, and nothing is silently changed on the way (a lone surrogate would become
 * U+FFFD, NaN would become null).
 */
import { nonJsonParts } from '../plan';
import {
  formatNamespace,
  NAMESPACE_PARTS,
  parseNamespacePrefix,
  type MemoryNamespace,
  type MemoryNamespacePrefix,
} from '../plan';
import { utf8Length } from '../plan/utf8-length';
import { MemoryInputError } from './memory-errors';

/** Longest key, in UTF-8 bytes (the table checks the same bound). */
export const MAX_KEY_BYTES = 16_384;
/** Longest value, as JSON text in UTF-8 bytes: far above what agents share, far below jsonb's own limit. */
export const MAX_VALUE_BYTES = 32 * 1024 * 1024;
/** Longest TTL: ten years. For "never", give no TTL. */
export const MAX_TTL_SECONDS = 10 * 365 * 24 * 3600;
export const DEFAULT_LIST_LIMIT = 1_000;
export const MAX_LIST_LIMIT = 10_000;
/** Largest byte cap a list may ask for (keys and values as JSON text); the memory tools default to 1 MiB. */
export const MAX_LIST_BYTES = 64 * 1024 * 1024;
export const DEFAULT_SWEEP_BATCH = 1_000;
export const MAX_SWEEP_BATCH = 10_000;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Refuses a namespace that its path could not express (the path rules of `parseNamespace`, plus no `/` in a part). */
export function checkNamespace(ns: MemoryNamespace): void {
  checkPrefix(ns);
  const missing = NAMESPACE_PARTS.filter((part) => ns[part] === undefined);
  if (missing.length > 0) throw new MemoryInputError(`namespace ${describe(ns)} lacks ${missing.join(', ')}`);
}

/** Refuses a prefix that is not a leading run of valid parts (`{ project, agentType }` skips environment). */
export function checkPrefix(prefix: MemoryNamespacePrefix): void {
  const given = NAMESPACE_PARTS.filter((part) => prefix[part] !== undefined);
  if (given.some((part, i) => part !== NAMESPACE_PARTS[i])) {
    throw new MemoryInputError(
      `namespace prefix ${describe(prefix)} must give its parts in order: ${NAMESPACE_PARTS.join(', ')}`,
    );
  }
  for (const part of given) {
    const value: unknown = prefix[part];
    if (typeof value !== 'string')
      throw new MemoryInputError(`namespace part ${part} must be a string, not ${typeof value}`);
    if (value.includes('/')) throw new MemoryInputError(`namespace part ${part} ${JSON.stringify(value)} contains "/"`);
    if (LONE_SURROGATE.test(value)) throw new MemoryInputError(`namespace part ${part} has a lone UTF-16 surrogate`);
  }
  // The path parser holds the rules for parts (not empty, length, no control characters): one definition.
  const parsed = parseNamespacePrefix(formatNamespace(prefix));
  if (typeof parsed === 'string') throw new MemoryInputError(parsed);
  // A lone empty part formats as the empty path, which parses as no parts at all.
  if (Object.keys(parsed).length !== given.length)
    throw new MemoryInputError(`namespace ${describe(prefix)} has an empty part`);
}

/** Refuses an empty key, one over 16 KB, or one PostgreSQL text cannot hold exactly. */
export function checkKey(key: string): void {
  if (typeof key !== 'string') throw new MemoryInputError(`key must be a string, not ${typeof key}`);
  if (key.length === 0) throw new MemoryInputError('key must not be empty');
  const bytes = utf8Length(key);
  if (bytes > MAX_KEY_BYTES)
    throw new MemoryInputError(`key is ${bytes} bytes long in UTF-8; the limit is ${MAX_KEY_BYTES}`);
  const problem = textProblem(key);
  if (problem) throw new MemoryInputError(`key ${problem}`);
}

/** Refuses a key prefix that no key could start with; the empty prefix matches every key. */
export function checkKeyPrefix(keyPrefix: string): void {
  if (typeof keyPrefix !== 'string') throw new MemoryInputError(`keyPrefix must be a string, not ${typeof keyPrefix}`);
  const bytes = utf8Length(keyPrefix);
  if (bytes > MAX_KEY_BYTES)
    throw new MemoryInputError(`keyPrefix is ${bytes} bytes long in UTF-8; keys are at most ${MAX_KEY_BYTES}`);
  const problem = textProblem(keyPrefix);
  if (problem) throw new MemoryInputError(`keyPrefix ${problem}`);
}

/** The value as JSON text, or a MemoryInputError naming the first place that JSON or jsonb cannot hold. */
export function serialiseValue(value: unknown): string {
  if (value === undefined) throw new MemoryInputError('value is undefined; store null to record "nothing"');
  const [part] = nonJsonParts(value);
  if (part) throw new MemoryInputError(`value is not plain JSON: ${part.found} at ${pathOf(part.path)}`);
  const bad = badString(value);
  if (bad) throw new MemoryInputError(`value ${bad.problem} at ${pathOf(bad.path)}`);
  const json = JSON.stringify(value);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > MAX_VALUE_BYTES)
    throw new MemoryInputError(`value is ${bytes} bytes as JSON; the limit is ${MAX_VALUE_BYTES}`);
  return json;
}

/** Refuses a TTL that is not a whole number of seconds from 1 to ten years; undefined means none. */
export function checkTtl(ttlSeconds: number | undefined): void {
  if (ttlSeconds === undefined) return;
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new MemoryInputError(
      `ttlSeconds must be a whole number from 1 to ${MAX_TTL_SECONDS}, not ${String(ttlSeconds)}`,
    );
  }
}

/** Refuses an expected version that is not 0 ("must not exist") or a positive whole number. */
export function checkExpectedVersion(expectedVersion: number | undefined): void {
  if (expectedVersion === undefined) return;
  if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
    throw new MemoryInputError(
      `expectedVersion must be 0 (must not exist) or a version number, not ${String(expectedVersion)}`,
    );
  }
}

/** Refuses a writer whose ids are not text or whose attempt is not a positive whole number. */
export function checkWriter(writer: { planId: string; stepId: string; attempt: number } | undefined): void {
  if (writer === undefined) return;
  for (const field of ['planId', 'stepId'] as const) {
    const problem =
      typeof writer[field] !== 'string' || writer[field] === ''
        ? 'must be a non-empty string'
        : textProblem(writer[field]);
    if (problem) throw new MemoryInputError(`writer.${field} ${problem}`);
  }
  if (!Number.isSafeInteger(writer.attempt) || writer.attempt < 1 || writer.attempt > 2 ** 31 - 1) {
    throw new MemoryInputError(`writer.attempt must be a positive whole number, not ${String(writer.attempt)}`);
  }
}

/** Refuses an idempotency key PostgreSQL text cannot hold exactly. */
export function checkIdempotencyKey(idempotencyKey: string | undefined): void {
  if (idempotencyKey === undefined) return;
  const problem =
    typeof idempotencyKey !== 'string' || idempotencyKey === ''
      ? 'must be a non-empty string'
      : textProblem(idempotencyKey);
  if (problem) throw new MemoryInputError(`idempotencyKey ${problem}`);
}

/** A whole number from 1 to `max`, or `fallback` when not given. */
export function boundedCount(name: string, value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new MemoryInputError(`${name} must be a whole number from 1 to ${max}, not ${String(value)}`);
  }
  return value;
}

/** Why PostgreSQL could not store a string exactly: text holds no NUL, and UTF-8 has no lone surrogates. */
function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character, which PostgreSQL text cannot hold';
  if (LONE_SURROGATE.test(text)) return 'has a lone UTF-16 surrogate, which UTF-8 cannot encode';
  return null;
}

// Called after nonJsonParts found nothing, so the value is a tree of plain JSON. The path is built only on the way
// back from a bad string, so a clean multi-megabyte value costs no allocations.
function badString(value: unknown): { path: (string | number)[]; problem: string } | null {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { path: [], problem } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = badString(value[i]);
      if (bad) return { ...bad, path: [i, ...bad.path] };
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [name, item] of Object.entries(value)) {
      const problem = textProblem(name);
      if (problem) return { path: [name], problem: `has a property name that ${problem}` };
      const bad = badString(item);
      if (bad) return { ...bad, path: [name, ...bad.path] };
    }
  }
  return null;
}

function pathOf(path: (string | number)[]): string {
  return path.length === 0
    ? '(the value itself)'
    : path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
        .join('')
        .replace(/^\./, '');
}

function describe(prefix: MemoryNamespacePrefix): string {
  return JSON.stringify(prefix);
}
