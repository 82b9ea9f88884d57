/**
 * `deliverPlanEvents`: the step callbacks of one plan (`options.notify`), delivered apart from the plan so a receiver
 * that is slow, failing or gone never holds the plan up. The plan signals each event here in order; every target has
 * its own queue, delivered one event at a time (in order) by an activity that Temporal retries with backoff. An event
 * a target still refuses after the retries is logged and dropped. Ends once the plan has ended and every queue is
 * empty, or after an hour with nothing to do (the plan starts it again when it next has news).
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { NotifyTarget, PlanEvent } from '../plan';
import type { PlanActivities } from '../activities/types';
import { planEventSignal } from './definitions';

const { deliverPlanEvent } = proxyActivities<PlanActivities>({
  startToCloseTimeout: '15 seconds',
  // About eight minutes of trying: long enough for a receiver's restart, short enough not to hoard events.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
  summary: 'deliver a plan event',
});

const IDLE_MS = 60 * 60 * 1000;

export interface DeliverPlanEventsInput {
  planId: string;
  targets: NotifyTarget[];
  /** What a run that continued as new had not delivered yet, per target. */
  queues?: PlanEvent[][];
  ended?: boolean;
}

export async function deliverPlanEvents(input: DeliverPlanEventsInput): Promise<void> {
  const queues = input.targets.map((_, index) => [...(input.queues?.[index] ?? [])]);
  let ended = input.ended ?? false;
  let handingOver = false;
  setHandler(planEventSignal, (event) => {
    input.targets.forEach((target, index) => {
      if (target.events.includes(event.type)) queues[index]!.push(event);
    });
    if (event.type === 'plan_ended') ended = true;
  });
  const empty = () => queues.every((queue) => queue.length === 0);
  const deliverAll = async (target: NotifyTarget, queue: PlanEvent[]) => {
    for (;;) {
      await condition(() => queue.length > 0 || ended || handingOver);
      if (queue.length === 0 || handingOver) return;
      const event = queue[0]!;
      try {
        await deliverPlanEvent({ url: target.url, event });
      } catch (err) {
        log.warn('plan event not delivered', { planId: input.planId, eventId: event.id, error: String(err) });
      }
      queue.shift();
    }
  };
  const deliveries = Promise.all(input.targets.map((target, index) => deliverAll(target, queues[index]!)));
  for (;;) {
    const active = await condition(() => (ended && empty()) || workflowInfo().continueAsNewSuggested, IDLE_MS);
    if (!active || (ended && empty())) break;
    // A long-lived plan's events: hand what is queued to a fresh run once the deliveries in flight are done.
    handingOver = true;
    await deliveries;
    await condition(allHandlersFinished);
    return continueAsNew<typeof deliverPlanEvents>({ ...input, queues, ended });
  }
  ended = true;
  await deliveries;
}
