import { z } from 'zod';
import { formatNamespace } from '../../plan';
import { defineTool } from '../tool';
import { limitParameter, namespacePrefixParameter, permanentFailures, prefixOf } from './memory-parameters';

/** Lists shared-memory entries under a namespace prefix. */
export const memoryList = defineTool({
  name: 'memory_list',
  description:
    "Lists live shared-memory entries whose namespace starts with `namespace` (default: the plan's namespace), " +
    'ordered by namespace then key; `keyPrefix` keeps keys starting with it; `limit` defaults to 1000.',
  parameters: z.object({
    namespace: namespacePrefixParameter,
    keyPrefix: z.string().optional(),
    limit: limitParameter,
  }),
  risk: 'read',
  local: 'allowed',
  run: async ({ namespace, keyPrefix, limit }, context) => {
    // A prefix may cover many namespaces, so this reads the whole store rather than the step's namespace.
    const prefix = prefixOf(namespace, context.memory.namespace);
    const entries = await permanentFailures(() => context.memory.store.list(prefix, { keyPrefix, limit }));
    return {
      entries: entries.map((e) => ({
        namespace: formatNamespace(e.namespace),
        key: e.key,
        value: e.value,
        version: e.version,
      })),
    };
  },
});
