import { z } from 'zod';
import { defineTool } from '../tool';

/** Does nothing; a placeholder step, or a join point in a DAG. */
export const noop = defineTool({
  name: 'noop',
  description: 'Does nothing and returns null.',
  parameters: z.object({}).loose(),
  risk: 'read',
  local: 'allowed',
  run: async () => null,
});
