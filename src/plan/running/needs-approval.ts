import type { PlanOptions } from '../types';

/** Whether a plan waits for a decision before any step runs: it asks for approval and does not approve itself. */
export function needsApproval(options: Pick<PlanOptions, 'requireApproval' | 'autoApprove'>): boolean {
  return options.requireApproval && !options.autoApprove;
}
