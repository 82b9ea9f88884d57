/** Operator repair of a plan paused by a failure (`onFailure: pause`), through validated updates. */
import type { Client } from '@temporalio/client';
import type { AbortInput, RetryStepInput, SkipStepInput } from '../plan';
import { abortUpdate, retryStepUpdate, skipStepUpdate } from '../workflows/definitions';
import { refusableUpdate } from './plans';

/** Runs a failed step again (with new parameters, if given); refused unless the plan is paused on it. */
export const retryStep = (client: Client, planId: string, input: RetryStepInput) =>
  refusableUpdate(client, planId, retryStepUpdate, input);
/** Marks a failed step skipped, handing its dependents `result`; refused unless the plan is paused on it. */
export const skipStep = (client: Client, planId: string, input: SkipStepInput) =>
  refusableUpdate(client, planId, skipStepUpdate, input);
/** Ends a paused plan: completed steps are compensated, the plan fails with who aborted it. */
export const abortPlan = (client: Client, planId: string, input: AbortInput = {}) =>
  refusableUpdate(client, planId, abortUpdate, input);
