/**
 * The plan's side of step callbacks (`options.notify`): each event is signalled, in order, to the plan's deliverer
 * (`deliverPlanEvents`, id `<planId>/notify`), started on the first event and abandoned by the plan so it can go on
 * delivering after the plan ends. Nothing here waits on a receiver; a plan without targets issues no commands at all,
 * so plans recorded before callbacks existed replay unchanged.
 */
import {
  CancellationScope,
  getExternalWorkflowHandle,
  log,
  ParentClosePolicy,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { NotifyEventType, PlanEvent, PlanState } from '../plan';
import { nowIso } from './clock';
import { DELIVER_PLAN_EVENTS_WORKFLOW, planEventSignal } from './definitions';
import type { deliverPlanEvents } from './deliver-plan-events';

const notifiers = new WeakMap<PlanState, PlanNotifier>();

export class PlanNotifier {
  private sent: Promise<void> = Promise.resolve();
  private count = 0;
  /** Whether the deliverer is (or was) running: a continued run's was started by an earlier run. */
  private started: boolean;
  private readonly deliverer: string;

  private constructor(
    private readonly state: PlanState,
    continued: boolean,
  ) {
    this.started = continued;
    this.deliverer = `${state.planId}/notify`;
  }

  /** The notifier of a plan's state, made once per run. */
  static attach(state: PlanState, continued: boolean): PlanNotifier {
    const notifier = new PlanNotifier(state, continued);
    notifiers.set(state, notifier);
    return notifier;
  }

  /** Tells the plan's targets about `type`, if any of them listens; never waits. */
  static emit(
    state: PlanState,
    type: NotifyEventType,
    fields: Omit<PlanEvent, 'id' | 'type' | 'planId' | 'at'> = {},
  ): void {
    const notifier = notifiers.get(state);
    const { notify } = state.plan.options;
    if (!notifier || notify.length === 0) return;
    // plan_ended goes to the deliverer even when no target wants it: it is how the deliverer knows to finish.
    if (type !== 'plan_ended' && !notify.some((target) => target.events.includes(type))) return;
    // The run id keeps ids unique across runs of a plan that continued as new; the count orders them within one.
    const event: PlanEvent = {
      id: `${state.planId}:${workflowInfo().runId}:${++notifier.count}`,
      type,
      planId: state.planId,
      at: nowIso(),
      ...fields,
    };
    // Not cancellable: a step's scope being cancelled must not lose the events already emitted.
    notifier.sent = notifier.sent.then(() => CancellationScope.nonCancellable(() => notifier.send(event)));
  }

  /** Resolves once every event emitted so far has reached the deliverer (before the run ends or hands over). */
  static flush(state: PlanState): Promise<void> {
    return notifiers.get(state)?.sent ?? Promise.resolve();
  }

  private async send(event: PlanEvent): Promise<void> {
    try {
      if (!this.started) await this.start();
      await getExternalWorkflowHandle(this.deliverer).signal(planEventSignal, event);
    } catch {
      // The deliverer ended (idle for an hour): a fresh one takes this event and the rest.
      try {
        await this.start();
        await getExternalWorkflowHandle(this.deliverer).signal(planEventSignal, event);
      } catch (err) {
        log.error('plan event not handed to its deliverer', {
          planId: this.state.planId,
          eventId: event.id,
          error: String(err),
        });
      }
    }
  }

  private async start(): Promise<void> {
    this.started = true;
    await startChild<typeof deliverPlanEvents>(DELIVER_PLAN_EVENTS_WORKFLOW, {
      workflowId: this.deliverer,
      args: [{ planId: this.state.planId, targets: this.state.plan.options.notify }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      staticSummary: `step callbacks of plan ${this.state.planId}`,
    }).catch((err: unknown) => {
      // Already running (started by an earlier run of this plan): the signal reaches it.
      if ((err as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw err;
    });
  }
}
