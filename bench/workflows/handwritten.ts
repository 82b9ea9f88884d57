/**
 * The baseline: the smallest hand-written Temporal workflow that runs N no-op activities with the same parallelism
 * as a plan — wide (all independent, `parallel` at a time) or a chain (one after another). No validation, no state,
 * no mirror, no visibility: what runPlan is measured against.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { ToolActivity } from '../../src/activities/types';

const { noop } = proxyActivities<Record<string, ToolActivity>>({ startToCloseTimeout: '1 minute' });

export async function handwrittenPlan(n: number, parallel: number, shape: 'wide' | 'chain'): Promise<number> {
  const call = (i: number) => noop!({ planId: 'handwritten', stepId: `s${i}`, parameters: {}, purpose: 'step', memoryNamespace: null });
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
