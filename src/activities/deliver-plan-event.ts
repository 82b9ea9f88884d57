/**
 * Delivers one plan event to one callback target: a JSON POST through the worker's outbound policy (so a plan cannot
 * aim callbacks at internal addresses unless PLAN_HTTP_ALLOW opens them), signed with HMAC-SHA256 when the worker has
 * a PLAN_NOTIFY_SECRET. A 2xx is delivered; 429, 5xx and network errors are retried by Temporal; other 4xx are not.
 */
import { createHmac } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { PlanEvent } from '../plan';
import { networkFailure, statusFailure, timeoutFailure } from '../tools/http/http-failures';
import { outboundFetch } from '../tools/http/outbound-fetch';
import type { OutboundPolicy } from '../tools/http/outbound-policy';

/** How long one delivery attempt waits for the receiver. */
export const DELIVERY_TIMEOUT_MS = 10_000;

export interface PlanEventDelivery {
  url: string;
  event: PlanEvent;
}

/** `sha256=<hex>` of the body: what X-Plan-Signature carries, and what a receiver computes to check it. */
export function planEventSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function createDeliverPlanEvent(
  policy: OutboundPolicy,
  secret: string | null,
): (delivery: PlanEventDelivery) => Promise<void> {
  return async ({ url, event }) => {
    const context = Context.current();
    const body = JSON.stringify(event);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'durable-plans',
      'x-plan-event-id': event.id,
      'x-plan-event': event.type,
    };
    if (secret !== null) headers['x-plan-signature'] = planEventSignature(secret, body);
    const request = `POST ${new URL(url).origin} (${event.type} of plan ${event.planId})`;
    const timeout = AbortSignal.timeout(DELIVERY_TIMEOUT_MS);
    let response: Response;
    try {
      response = await outboundFetch(policy, url, {
        method: 'POST',
        headers: new Headers(headers),
        body,
        signal: AbortSignal.any([timeout, context.cancellationSignal]),
        secretHeaderNames: ['x-plan-signature'],
      });
    } catch (err) {
      if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason;
      if (timeout.aborted) throw timeoutFailure(request, DELIVERY_TIMEOUT_MS);
      if (err instanceof ApplicationFailure) throw err; // typed already: HttpDestinationDenied, too many redirects
      throw networkFailure(request, err);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) throw statusFailure(request, response, text, []);
  };
}
