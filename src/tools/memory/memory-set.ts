import { z } from 'zod';
import { formatNamespace } from '../../plan';
import { defineTool } from '../tool';
import {
  expectedVersionParameter,
  keyParameter,
  memoryIn,
  namespaceParameter,
  permanentFailures,
  ttlParameter,
} from './memory-parameters';

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
    // Kept in the result so the default compensation can put it back.
    const before = await memory.get(key);
    const entry = await permanentFailures(() => memory.set(key, value, { ttlSeconds, expectedVersion }));
    return {
      namespace: formatNamespace(entry.namespace),
      key: entry.key,
      version: entry.version,
      expiresAt: entry.expiresAt,
      previous:
        before && before.version !== entry.version ? { value: before.value, expiresAt: before.expiresAt } : null,
    };
  },
  undo: {
    description: 'Puts back what the write replaced (or removes the key it created), unless someone wrote since.',
    run: async ({ parameters, result }, context) => {
      const written = result as { version: number; previous: { value: unknown; expiresAt: string | null } | null };
      const memory = memoryIn(parameters.namespace, context.memory);
      const current = await memory.get(parameters.key);
      // Ours to undo if untouched since, or last written by this plan (a later step's undo, in reverse order).
      const ours =
        current !== null && (current.version === written.version || current.writtenBy?.planId === context.planId);
      if (!ours) return { undone: false, reason: 'someone else changed the entry since this step wrote it' };
      if (written.previous === null) {
        await permanentFailures(() => memory.delete(parameters.key, { expectedVersion: current.version }));
        return { undone: true, restored: null };
      }
      const ttlSeconds = written.previous.expiresAt
        ? Math.max(1, Math.ceil((Date.parse(written.previous.expiresAt) - Date.now()) / 1000))
        : undefined;
      await permanentFailures(() =>
        memory.set(parameters.key, written.previous!.value, { expectedVersion: current.version, ttlSeconds }),
      );
      return { undone: true, restored: written.previous.value };
    },
  },
});
