import type { CompensationSpec, PlanOptions, StepSpec } from '../types';

/** A tool's own default start-to-close timeout by tool name; null or undefined when it declares none. */
export type ToolTimeouts = (toolName: string) => number | null | undefined;

/**
 * A step's start-to-close timeout: what the step says, else what its tool declares (the tool's author knows how
 * long it takes), else the plan's `options.stepTimeoutMs`.
 */
export function stepTimeoutMs(step: StepSpec, options: PlanOptions, toolTimeouts: ToolTimeouts): number {
  return step.timeoutMs ?? toolTimeouts(step.toolName) ?? options.stepTimeoutMs;
}

/**
 * A compensation's start-to-close timeout: what the compensation says, else what its tool declares, else its
 * step's timeout (undoing usually takes about as long as doing).
 */
export function compensationTimeoutMs(
  step: StepSpec & { compensate: CompensationSpec },
  options: PlanOptions,
  toolTimeouts: ToolTimeouts,
): number {
  return (
    step.compensate.timeoutMs ?? toolTimeouts(step.compensate.toolName) ?? stepTimeoutMs(step, options, toolTimeouts)
  );
}
