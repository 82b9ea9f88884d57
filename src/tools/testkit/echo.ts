import { z } from 'zod';
import { defineTool } from '../tool';

/** Returns its parameters: the simplest way to pass data between steps and to try a plan safely. */
export const echo = defineTool({
  name: 'echo',
  description: 'Returns its parameters as its result.',
  parameters: z.record(z.string(), z.unknown()),
  risk: 'read',
  local: 'allowed',
  run: async (parameters) => parameters,
});
