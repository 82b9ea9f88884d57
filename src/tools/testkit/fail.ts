import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { defineTool } from '../tool';
import { FAIL_TOOL_ERROR } from '../../plan/error-types';

/** Fails on purpose: always, or for the first `failTimes` attempts; for trying retries, error policies and sagas. */
export const fail = defineTool({
  name: 'fail',
  description: 'Fails the first `failTimes` attempts then succeeds, or always fails; `nonRetryable` stops retries.',
  parameters: z.object({
    message: z.string().default('failed on purpose'),
    failTimes: z.number().int().min(0).optional(),
    nonRetryable: z.boolean().default(false),
  }),
  risk: 'read',
  local: 'allowed',
  run: async ({ message, failTimes, nonRetryable }, { attempt }) => {
    if (failTimes !== undefined && attempt > failTimes) return { succeededOnAttempt: attempt };
    throw ApplicationFailure.create({ message, type: FAIL_TOOL_ERROR, nonRetryable });
  },
});
