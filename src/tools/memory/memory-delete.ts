import { z } from 'zod';
import { defineTool } from '../tool';
import {
  expectedVersionParameter,
  keyParameter,
  memoryIn,
  namespaceParameter,
  permanentFailures,
} from './memory-parameters';

/** Deletes a key from shared memory, optionally only at an expected version. */
export const memoryDelete = defineTool({
  name: 'memory_delete',
  description:
    "Deletes a key from shared memory (default namespace: the plan's); returns { deleted }. With `expectedVersion`, " +
    'a live entry at another version fails with MemoryConflict.',
  parameters: z.object({ key: keyParameter, expectedVersion: expectedVersionParameter, namespace: namespaceParameter }),
  risk: 'write',
  local: 'allowed',
  run: async ({ key, expectedVersion, namespace }, context) => {
    const deleted = await permanentFailures(() => memoryIn(namespace, context.memory).delete(key, { expectedVersion }));
    return { deleted };
  },
});
