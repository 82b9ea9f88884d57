/**
 * The baseline: the smallest hand-written Temporal workflow that runs N no-op activities with the same parallelism
 * as a plan — wide (all independent, `parallel` at a time) or a chain (one after another). No validation, no state,
 * no mirror, no visibility: what runPlan is measured against.
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { ToolActivity } from '../../src/activities/types';

const { noop } = proxyActivities<Record<string, ToolActivity>>({ startToCloseTimeout: '1 minute' });
const local = proxyLocalActivities<Record<string, ToolActivity>>({ startToCloseTimeout: '1 minute' });

/** `asLocal` runs the activities as local activities: the baseline of plans whose steps are `local: true`. */
export async function handwrittenPlan(
  n: number,
  parallel: number,
  shape: 'wide' | 'chain',
  asLocal = false,
): Promise<number> {
  const activity = asLocal ? local.noop! : noop!;
  const call = (i: number) =>
    activity({ planId: 'handwritten', stepId: `s${i}`, parameters: {}, purpose: 'step', memoryNamespace: null });
  if (shape === 'chain') {
    for (let i = 0; i < n; i++) await call(i);
    return n;
  }
  let next = 0;
  const lane = async () => {
    while (next < n) await call(next++);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, n) }, lane));
  return n;
}
