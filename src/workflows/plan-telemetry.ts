/**
 * What a plan tells its operators as it goes: one log line per plan and step transition (with the plan and step ids)
 * and the plan metrics (metric-names.ts). Both go through the SDK, which drops them while a workflow replays, so a
 * worker taking over a plan neither repeats its lines nor counts its steps twice; neither issues a command, so adding
 * or changing them never breaks the replay of a running plan.
 */
import { log, metricMeter } from '@temporalio/workflow';
import {
  APPROVAL_TIMEOUT_ACTOR,
  SUBPLAN_TOOL,
  type CompensationOutcome,
  type GateProgress,
  type PlanState,
  type StepSpec,
} from '../plan';
import { PLAN_METRICS } from './metric-names';

const counter = ({ name, description }: { name: string; description: string }) =>
  metricMeter.createCounter(name, undefined, description);
const histogram = ({ name, description }: { name: string; description: string }) =>
  metricMeter.createHistogram(name, 'float', undefined, description);
const seconds = (from: string, to: string) => Math.max(0, Date.parse(to) - Date.parse(from)) / 1000;

/** A plan's first run has set up (a run that continued as new is the same plan, already started). */
export function planStarted(state: PlanState): void {
  log.info('plan started', { planId: state.planId, steps: state.plan.steps.length });
  counter(PLAN_METRICS.plansStarted).add(1);
}

/**
 * The plan has ended. Steps become skipped inside the state (behind a failed step, at a rejected gate, by an operator,
 * or never started when the plan stopped), so they are told here, once each, with why.
 */
export function planEnded(state: PlanState): void {
  const { planId } = state;
  for (const step of state.snapshot().steps) {
    if (step.status !== 'skipped') continue;
    log.info('step skipped', { planId, stepId: step.id, tool: step.toolName, reason: step.error });
    counter(PLAN_METRICS.stepsEnded).add(1, { tool: step.toolName, status: 'skipped' });
  }
  log.info('plan ended', { planId, status: state.status, reason: state.reason });
  counter(PLAN_METRICS.plansEnded).add(1, { status: state.status });
}

export function stepStarted(state: PlanState, spec: StepSpec): void {
  log.info('step started', { planId: state.planId, stepId: spec.id, tool: spec.toolName });
}

/** How a step run ended: its outcome, when it started and ended (workflow or worker clock), and its failure. */
export interface StepEnding {
  status: 'completed' | 'failed';
  startedAt: string;
  endedAt: string;
  attempts: number;
  errorType?: string | null;
  error?: string;
}

export function stepEnded(state: PlanState, spec: StepSpec, ending: StepEnding): void {
  const { status, attempts, errorType, error } = ending;
  const fields = { planId: state.planId, stepId: spec.id, tool: spec.toolName, attempts };
  if (status === 'completed') log.info('step completed', fields);
  else log.warn('step failed', { ...fields, errorType, error });
  const tags = { tool: spec.toolName, status };
  counter(PLAN_METRICS.stepsEnded).add(1, tags);
  histogram(PLAN_METRICS.stepDuration).record(seconds(ending.startedAt, ending.endedAt), tags);
}

/** A completed step's compensation has run (a sub-plan without a compensation of its own is undone by its child). */
export function compensationEnded(state: PlanState, spec: StepSpec, outcome: CompensationOutcome): void {
  const tool = spec.compensate?.toolName ?? SUBPLAN_TOOL;
  const fields = { planId: state.planId, stepId: spec.id, tool };
  if (outcome.status === 'compensated') log.info('step compensated', fields);
  else log.error('step compensation failed', { ...fields, error: outcome.error });
  counter(PLAN_METRICS.compensations).add(1, { tool, status: outcome.status });
}

/**
 * Tells the decisions taken since the state had `since` of them (a person's, or an approval timeout's): one line
 * each, and for each that settled its gate, how long the gate waited.
 */
export function decisionsTaken(state: PlanState, since: number): void {
  const taken = state.approvals.slice(since);
  if (taken.length === 0) return;
  // When a gate opened is known to the state's gate book alone, which shares it only in the progress a continued run
  // carries; reading it there costs a pass over the plan, once per decision.
  const { planGate, stepGates } = state.progress();
  const gates = new Map<string | null, GateProgress | null>([[null, planGate], ...stepGates]);
  for (const { step, decision, by, at } of taken) {
    const gate = gates.get(step);
    log.info('decision taken', { planId: state.planId, stepId: step, decision, by, gate: gate?.state });
    if (!gate || gate.state === 'waiting' || gate.openedAt === null) continue;
    histogram(PLAN_METRICS.approvalWait).record(Math.max(0, Date.parse(at) - gate.openedAt) / 1000, {
      gate: step === null ? 'plan' : 'step',
      decision: gate.state,
      timed_out: String(by === APPROVAL_TIMEOUT_ACTOR),
    });
  }
}
