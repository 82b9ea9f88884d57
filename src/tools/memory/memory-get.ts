import { z } from 'zod';
import { defineTool } from '../tool';
import { keyParameter, memoryIn, namespaceParameter, permanentFailures } from './memory-parameters';

/** Reads a value from shared memory; a missing or expired key is `found: false`, not an error. */
export const memoryGet = defineTool({
  name: 'memory_get',
  description:
    "Reads the value under a key in shared memory (default namespace: the plan's). " +
    'Returns { found, value, version }; a missing or expired key gives found: false, value: null, version: null.',
  parameters: z.object({ key: keyParameter, namespace: namespaceParameter }),
  risk: 'read',
  local: 'allowed',
  run: async ({ key, namespace }, context) => {
    const entry = await permanentFailures(() => memoryIn(namespace, context.memory).get(key));
    return entry
      ? { found: true, value: entry.value, version: entry.version }
      : { found: false, value: null, version: null };
  },
});
