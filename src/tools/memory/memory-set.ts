import { isDeepStrictEqual } from 'node:util';
import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { formatNamespace } from '../../plan';
import { MEMORY_CONFLICT } from '../../plan/error-types';
import { defineTool } from '../tool';
import {
  expectedVersionParameter,
  keyParameter,
  memoryIn,
  namespaceParameter,
  permanentFailures,
  ttlParameter,
} from './memory-parameters';

/** What a write replaced, kept in the step's result for the undo; `unknown: true` when it cannot be told. */
type Previous = { value: unknown; expiresAt: string | null } | { unknown: true } | null;

/** Writes a value to shared memory, optionally with a TTL and compare-and-set. */
export const memorySet = defineTool({
  name: 'memory_set',
  description:
    "Stores a JSON value under a key in shared memory (default namespace: the plan's). `ttlSeconds` makes it expire; " +
    '`expectedVersion` writes only if the entry is at that version (0 = must not exist), else fails with MemoryConflict.',
  parameters: z.object({
    key: keyParameter,
    value: z.unknown().refine((value) => value !== undefined, 'value is required'),
    ttlSeconds: ttlParameter,
    expectedVersion: expectedVersionParameter,
    namespace: namespaceParameter,
  }),
  risk: 'write',
  local: 'allowed',
  run: async ({ key, value, ttlSeconds, expectedVersion, namespace }, context) => {
    const memory = memoryIn(namespace, context.memory);
    // What the write replaced is read by the same statement, so no other write can fall in between and be lost.
    const { entry, replaced } = await permanentFailures(() => memory.swap(key, value, { ttlSeconds, expectedVersion }));
    let previous: Previous = null;
    if (replaced === 'unknown') previous = { unknown: true };
    else if (replaced !== null) previous = { value: replaced.value, expiresAt: replaced.expiresAt };
    return {
      namespace: formatNamespace(entry.namespace),
      key: entry.key,
      version: entry.version,
      expiresAt: entry.expiresAt,
      previous,
    };
  },
  undo: {
    description:
      'Puts back what the write replaced (or removes the key it created), only while the entry still holds this ' +
      "write: another writer's value is never erased.",
    run: async ({ parameters, result }, context) => {
      const written = result as { version: number; previous: Previous };
      if (written.previous !== null && 'unknown' in written.previous)
        return { undone: false, reason: 'the value this write replaced is not known (a concurrent or repeated write)' };
      const memory = memoryIn(parameters.namespace, context.memory);
      const current = await memory.get(parameters.key);
      // Still this write: its version, or its value put back by the undo of a later step of this plan (undos run in
      // reverse order, and each bumps the version).
      const ours =
        current !== null &&
        (current.version === written.version ||
          (current.writtenBy?.planId === context.planId && isDeepStrictEqual(current.value, parameters.value)));
      if (!ours) return { undone: false, reason: 'someone else changed the entry since this step wrote it' };
      const previous = written.previous;
      const ttlSeconds = previous?.expiresAt
        ? Math.max(1, Math.ceil((Date.parse(previous.expiresAt) - Date.now()) / 1000))
        : undefined;
      try {
        // Compare-and-set on the version just read: a write landing in between wins, and is kept.
        await permanentFailures<unknown>(() =>
          previous === null
            ? memory.delete(parameters.key, { expectedVersion: current.version })
            : memory.set(parameters.key, previous.value, { expectedVersion: current.version, ttlSeconds }),
        );
      } catch (err) {
        if (err instanceof ApplicationFailure && err.type === MEMORY_CONFLICT)
          return { undone: false, reason: 'someone else changed the entry while this step was undoing its write' };
        throw err;
      }
      return { undone: true, restored: previous === null ? null : previous.value };
    },
  },
});
