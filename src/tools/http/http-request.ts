import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { attemptSignal, type AttemptSignal } from '../attempt-signal';
import { heartbeatWhile, WAITING_TOOL_HEARTBEAT_TIMEOUT_MS } from '../heartbeat-while';
import { INVALID_PARAMETERS } from '../../plan/error-types';
import { defineTool, type ToolContext } from '../tool';
import { networkFailure, statusFailure, timeoutFailure } from './http-failures';
import { outboundFetch, type OutboundInit } from './outbound-fetch';
import { readBody } from './read-body';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
// Safe methods: no body, no side effect, so no idempotency key either.
const SAFE_METHODS = new Set(['GET', 'HEAD']);
const MIB = 1024 * 1024;
// Bodies over the worker's inline limit are kept in PostgreSQL, not in history, so large answers are fine.
const MAX_RESPONSE_BYTES = 64 * MIB;

const headerMap = z.record(z.string(), z.string());

const parameters = z
  .object({
    method: z.enum(METHODS).default('GET'),
    url: z
      .url({ protocol: /^https?$/ })
      .refine(
        (url) => !/^[a-z]+:\/\/[^/?#]*@/i.test(url),
        'credentials do not belong in the URL: pass them in secretHeaders',
      ),
    headers: headerMap.optional(),
    secretHeaders: headerMap
      .optional()
      .describe(
        'merged into headers; their values never appear in results, errors or the plan mirror (e.g. Authorization)',
      ),
    body: z
      .unknown()
      .optional()
      .describe('a string is sent as is; anything else as JSON (Content-Type: application/json)'),
    timeoutMs: z.number().int().min(1).optional().describe('default: the step timeout'),
    maxResponseBytes: z
      .number()
      .int()
      .min(1)
      .max(MAX_RESPONSE_BYTES)
      .default(MIB)
      .describe('a longer body is cut, with truncated: true'),
  })
  .refine((p) => p.body === undefined || !SAFE_METHODS.has(p.method), {
    message: 'GET and HEAD requests have no body',
    path: ['body'],
  });

type Parameters = z.infer<typeof parameters>;

/** Calls an HTTP endpoint; 5xx, 429 and network failures are retried, other 4xx are not. */
export const httpRequest = defineTool({
  name: 'http_request',
  description:
    'Sends an HTTP request and returns { status, headers, body, truncated }; body is parsed JSON when the response is JSON. ' +
    'Requests other than GET/HEAD carry Idempotency-Key: <planId>:<stepId>, the same on every retry. ' +
    '4xx fails without retry (HttpClientError), except 429 (HttpRateLimited, retried after Retry-After); ' +
    '5xx (HttpServerError) and network errors or timeouts (HttpNetworkError) are retried. Loopback, link-local, ' +
    "private and other internal addresses are refused (HttpDestinationDenied) unless the worker's PLAN_HTTP_ALLOW " +
    'names the host; redirects are followed up to 5 times, secretHeaders and Authorization only to the same origin.',
  parameters,
  risk: 'write',
  secretParams: ['secretHeaders'],
  heartbeatTimeoutMs: WAITING_TOOL_HEARTBEAT_TIMEOUT_MS,
  target: (p) => new URL(p.url).host,
  run: async (p, context) => {
    const request = `${p.method} ${p.url}`;
    const limit = attemptSignal(context, p.timeoutMs);
    const init: OutboundInit = {
      method: p.method,
      headers: requestHeaders(p, context.idempotencyKey),
      body: requestBody(p.body),
      signal: limit.signal,
      secretHeaderNames: Object.keys(p.secretHeaders ?? {}),
    };
    const secrets = context.secrets;
    const { response, body, truncated } = await heartbeatWhile(
      context.heartbeat,
      exchange(request, p.url, init, p.maxResponseBytes, secrets, limit, context),
    );
    if (response.status >= 400) throw statusFailure(request, response, body, secrets);
    return { status: response.status, headers: Object.fromEntries(response.headers), body, truncated };
  },
});

/**
 * The request, through the worker's outbound policy, and its (capped) answer; every way of getting no answer becomes
 * a typed failure.
 */
async function exchange(
  request: string,
  url: string,
  init: OutboundInit,
  maxBytes: number,
  secrets: readonly string[],
  limit: AttemptSignal,
  context: ToolContext,
) {
  try {
    const response = await outboundFetch(context.http, url, init);
    return { response, ...(await readBody(response, maxBytes, secrets)) };
  } catch (err) {
    if (context.signal.aborted) throw context.signal.reason;
    if (limit.timedOut()) throw timeoutFailure(request, limit.limitMs);
    if (err instanceof ApplicationFailure) throw err;
    throw networkFailure(request, err);
  }
}

function requestHeaders(p: Parameters, idempotencyKey: string): Headers {
  let headers: Headers;
  try {
    headers = new Headers({ ...p.headers, ...p.secretHeaders });
  } catch (err) {
    // Only the header names and the error's own text: the values may be secret.
    const names = [...Object.keys(p.headers ?? {}), ...Object.keys(p.secretHeaders ?? {})].join(', ');
    throw ApplicationFailure.nonRetryable(
      `invalid HTTP header among ${names}: ${(err as Error).message}`,
      INVALID_PARAMETERS,
    );
  }
  // A retried POST must not act twice: the key lets the server recognise the repeat.
  if (!SAFE_METHODS.has(p.method) && !headers.has('idempotency-key')) headers.set('Idempotency-Key', idempotencyKey);
  if (p.body !== undefined && typeof p.body !== 'string' && !headers.has('content-type'))
    headers.set('Content-Type', 'application/json');
  return headers;
}

function requestBody(body: unknown): string | undefined {
  return body === undefined || typeof body === 'string' ? body : JSON.stringify(body);
}
