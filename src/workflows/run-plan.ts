/**
 * `runPlan`: one plan, one workflow. Reads as the plan's life: check it, wait for approval, run the DAG,
 * compensate if it must, finish. Every decision about state lives in `PlanState` (src/plan); this file only
 * sequences Temporal primitives around it.
 */
import { CancellationScope, condition, isCancellation, patched, sleep, workflowInfo } from '@temporalio/workflow';
import {
  applyDefaultCompensations,
  boundedSnapshot,
  checkPlan,
  compactPlan,
  needsApproval,
  PlanState,
  type StepSpec,
} from '../plan';
import type { ToolHint } from '../activities/types';
import { validationFailure } from './failures';
import { registerHandlers } from './handlers';
import { compensateStep, runStep } from './run-step';
import { checkPlanTools, runsLocally } from './step-activities';
import { LocalWaves } from './local-waves';
import { CARRIED_MIRROR_PATCH, MirrorLoop } from './mirror-loop';
import { carryOver, dropCheckpoints, takeOver } from './continue-as-new';
import type { RunPlanMode } from './run-mode';
import { Visibility } from './visibility';
import type { PlanSnapshot } from '../plan';
import { nowIso } from './clock';
import { decisionsTaken, planEnded, planStarted } from './plan-telemetry';
import { PlanNotifier } from './plan-notifier';
import { releaseAllResources } from './hold-resources';

/** Runs a plan (the parsed plan file) to its end and returns its final state; `mode` undoes an earlier run instead. */
export async function runPlan(input: unknown, mode?: RunPlanMode): Promise<PlanSnapshot> {
  // 1. Set up: the plan checked, its state built or taken over, the handlers listening, the tools known.
  const { state, visibility, hints } = await setUp(input, mode);
  // Started once the worker said which parameters are secret, so the first write is already redacted.
  const secrets = Object.fromEntries(Object.entries(hints).map(([tool, hint]) => [tool, hint.secretParams]));
  const waves = new LocalWaves();
  const mirror = state.plan.options.mirror
    ? new MirrorLoop(state, secrets, waves, patched(CARRIED_MIRROR_PATCH))
    : null;

  let cancellation: unknown = null;
  try {
    // 2. Approval gate.
    await waitForApproval(state, visibility);
    // 3. Schedule the DAG; a long plan hands over to a fresh run when Temporal suggests it.
    if (!state.stopping && (await execute(state, hints, visibility, waves, mirror)) === 'continue') {
      await mirror?.flush();
      await PlanNotifier.flush(state);
      return await carryOver(state, input, hints);
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    cancellation = err;
    state.cancel('cancelled');
  }
  // 4. Compensate and finish, even when the workflow itself is being cancelled.
  await CancellationScope.nonCancellable(async () => {
    visibility.publish();
    await condition(() => state.running === 0);
    if (state.needsCompensation) await compensate(state, hints, visibility);
    await releaseAllResources(state);
    state.finish(nowIso());
    visibility.publish();
    // 5. The final state is in PostgreSQL, and the last event with its deliverer, before the workflow returns.
    await mirror?.close();
    if (mode?.continued) await dropCheckpoints(state.planId);
    PlanNotifier.emit(state, 'plan_ended', { status: state.status, reason: state.reason });
    await PlanNotifier.flush(state);
  });
  planEnded(state);
  if (cancellation) throw cancellation;
  return boundedSnapshot(state.snapshot());
}

/**
 * Everything before the plan can run. Before any await, so a bad plan fails at once and handlers exist before the
 * first signal can arrive: check the plan, build its state (reusing or undoing an earlier run's steps), register the
 * handlers. Then either take over a continued run's progress from PostgreSQL, or ask the worker about the tools.
 */
async function setUp(
  input: unknown,
  mode: RunPlanMode | undefined,
): Promise<{ state: PlanState; visibility: Visibility; hints: Record<string, ToolHint> }> {
  const { plan, problems } = checkPlan(input);
  if (!plan) throw validationFailure(problems);
  const state = new PlanState(plan, workflowInfo().workflowId, nowIso());
  for (const step of mode?.reuse?.steps ?? []) state.restoreCompleted(step);
  if (mode?.undo) {
    for (const step of mode.undo.steps) state.restoreCompleted(step);
    state.cancel(mode.undo.reason);
  }
  const restoring = { done: !mode?.continued };
  registerHandlers(state, restoring);
  const visibility = new Visibility(state);
  PlanNotifier.attach(state, mode?.continued !== undefined);

  let hints: Record<string, ToolHint>;
  if (mode?.continued) {
    // A run that continued as new: the plan was checked by the first run; its progress comes from PostgreSQL.
    // Not cancellable: a cancellation that arrives meanwhile is taken once the state is whole, so it can compensate.
    state.restore(await CancellationScope.nonCancellable(() => takeOver(state.planId, mode.continued!)));
    restoring.done = true;
    hints = mode.continued.hints;
  } else {
    visibility.publish();
    const toolCheck = await checkPlanTools(compactPlan(plan));
    if (toolCheck.problems.length > 0) throw validationFailure(toolCheck.problems);
    hints = toolCheck.hints;
  }
  visibility.publish();
  applyDefaultCompensations(plan, (tool) => hints[tool]?.undo ?? null);
  if (!mode?.continued) {
    planStarted(state);
    PlanNotifier.emit(state, 'plan_started', { status: state.status });
    // Announced as the plan asked for it: a decision may already have come while the tools were being checked.
    if (needsApproval(plan.options)) PlanNotifier.emit(state, 'approval_requested', { gates: [null] });
  }
  return { state, visibility, hints };
}

async function waitForApproval(state: PlanState, visibility: Visibility): Promise<void> {
  if (state.planGateSettled) return;
  const timeout = state.plan.options.approvalTimeoutMs;
  if (timeout === null) await condition(() => state.planGateSettled);
  else if (!(await condition(() => state.planGateSettled, timeout))) expireGates(state);
  visibility.publish();
}

/**
 * Starts every ready step while slots are free, then sleeps until the state changes; ends when nothing can run, or
 * with 'continue' once Temporal suggests continue-as-new and the steps this run started have finished.
 */
async function execute(
  state: PlanState,
  hints: Record<string, ToolHint>,
  visibility: Visibility,
  waves: LocalWaves,
  mirror: MirrorLoop | null,
): Promise<'done' | 'continue'> {
  const { options } = state.plan;
  const limit = options.allowParallel ? options.maxParallelSteps : 1;
  const steps = new CancellationScope();
  const timers = new CancellationScope();
  state.beginExecution(nowIso());
  if (options.totalTimeoutMs !== null) {
    // Counted from when scheduling began, which was in an earlier run if this one continued as new.
    const left = Date.parse(state.executingSince!) + options.totalTimeoutMs - Date.now();
    void timers.run(() => sleep(Math.max(1, left))).then(() => state.cancel('timeout'), ignoreCancellation);
  }
  let gateTimerAt: number | null = null;
  let startedHere = 0;
  let handingOver = false;
  const next = () => (state.running < limit - waves.holding ? state.takeReady() : null);
  const isLocal = (spec: StepSpec) => runsLocally(spec, hints[spec.toolName]);
  const launch = (spec: StepSpec) => {
    startedHere++;
    // Not awaited: runStep records every outcome in the state; it rejects only for a bug, failing the workflow task.
    void steps.run(() => runStep(state, spec, hints, waves, mirror));
  };
  try {
    for (;;) {
      // Only a run that did some work hands over, so a run can never do nothing but continue.
      handingOver ||= startedHere > 0 && workflowInfo().continueAsNewSuggested;
      if (!handingOver && !state.stopping) waves.schedule(next, isLocal, launch);
      else waves.paced(false);
      // A timeout or a `cancel` signal: running steps are cancelled (they heartbeat) and report back.
      if (state.cancelling && !steps.consideredCancelled) steps.cancel();
      visibility.publish();
      if (state.finished && (waves.holding === 0 || state.stopping)) return 'done';
      if (handingOver && state.running === 0) return 'continue';
      gateTimerAt = armGateTimer(state, timers, gateTimerAt);
      const seen = state.seq;
      mirror?.scheduled(seen);
      await condition(() => state.seq !== seen || waves.heldMayStart);
    }
  } finally {
    timers.cancel();
    // No more steps start from here: the mirror writes as soon as anything changes.
    waves.paced(false);
    mirror?.scheduled(null);
  }
}

/** One timer for the earliest open step gate's approval deadline; re-armed only when an earlier one appears. */
function armGateTimer(state: PlanState, timers: CancellationScope, armedAt: number | null): number | null {
  const deadline = state.nextGateDeadline();
  if (deadline === null || (armedAt !== null && armedAt <= deadline && armedAt > Date.now())) return armedAt;
  void timers.run(() => sleep(Math.max(1, deadline - Date.now()))).then(() => expireGates(state), ignoreCancellation);
  return deadline;
}

/** Runs compensations layer by layer in reverse dependency order; steps of one layer run together. */
async function compensate(state: PlanState, hints: Record<string, ToolHint>, visibility: Visibility): Promise<void> {
  state.beginCompensation();
  visibility.publish();
  for (const layer of state.compensationLayers()) {
    await Promise.all(layer.map((spec) => compensateStep(state, spec, hints)));
    visibility.publish();
  }
}

/** Applies `onApprovalTimeout` to the gates whose wait ran out, and tells it. */
function expireGates(state: PlanState): void {
  const since = state.approvals.length;
  state.expireGates(nowIso());
  decisionsTaken(state, since);
}

function ignoreCancellation(err: unknown): void {
  if (!isCancellation(err)) throw err;
}
