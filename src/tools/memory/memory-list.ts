import { z } from 'zod';
import { formatNamespace } from '../../plan';
import { defineTool } from '../tool';
import {
  limitParameter,
  maxBytesParameter,
  namespacePrefixParameter,
  permanentFailures,
  prefixOf,
  DEFAULT_LIST_BYTES,
} from './memory-parameters';

/** Lists shared-memory entries under a namespace prefix the plan may reach. */
export const memoryList = defineTool({
  name: 'memory_list',
  description:
    "Lists live shared-memory entries whose namespace starts with `namespace` (default: the plan's namespace), " +
    'ordered by namespace then key; `keyPrefix` keeps keys starting with it; `limit` defaults to 1000. The prefix ' +
    "must lie within the plan's own namespace or one the plan declares (else MemoryAccessDenied). Stops before keys " +
    'and values pass `maxBytes` (default 1 MiB) and then says truncated: true; memory_get reads any one entry.',
  parameters: z.object({
    namespace: namespacePrefixParameter,
    keyPrefix: z.string().optional(),
    limit: limitParameter,
    maxBytes: maxBytesParameter,
  }),
  risk: 'read',
  local: 'allowed',
  run: async ({ namespace, keyPrefix, limit, maxBytes }, context) => {
    const prefix = prefixOf(namespace, context.memory.namespace);
    const page = await permanentFailures(() =>
      context.memory.listUnder(prefix, { keyPrefix, limit, maxBytes: maxBytes ?? DEFAULT_LIST_BYTES }),
    );
    return {
      entries: page.entries.map((e) => ({
        namespace: formatNamespace(e.namespace),
        key: e.key,
        value: e.value,
        version: e.version,
      })),
      truncated: page.truncated,
    };
  },
});
