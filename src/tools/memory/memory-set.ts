import { z } from 'zod';
import { formatNamespace } from '../../plan/memory-namespace';
import { defineTool } from '../tool';
import { expectedVersionParameter, keyParameter, namespaceOf, namespaceParameter, permanentFailures, ttlParameter } from './memory-parameters';

/** Writes a value to shared memory, optionally with a TTL and compare-and-set. */
export const memorySet = defineTool({
  name: 'memory_set',
  description:
    'Stores a JSON value under a key in shared memory (default namespace: the plan\'s). `ttlSeconds` makes it expire; ' +
    '`expectedVersion` writes only if the entry is at that version (0 = must not exist), else fails with MemoryConflict.',
  parameters: z.object({
    key: keyParameter,
    value: z.unknown().refine((value) => value !== undefined, 'value is required'),
    ttlSeconds: ttlParameter,
    expectedVersion: expectedVersionParameter,
    namespace: namespaceParameter,
  }),
  risk: 'write',
  run: async ({ key, value, ttlSeconds, expectedVersion, namespace }, context) => {
    const ns = namespaceOf(namespace, context.namespace);
    const entry = await permanentFailures(() =>
      context.memory.set(ns, key, value, {
        ttlSeconds,
        expectedVersion,
        writer: { planId: context.planId, stepId: context.stepId, attempt: context.attempt },
        idempotencyKey: context.idempotencyKey,
      }),
    );
    return { namespace: formatNamespace(entry.namespace), key: entry.key, version: entry.version, expiresAt: entry.expiresAt };
  },
});
