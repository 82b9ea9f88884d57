import { ApplicationFailure } from '@temporalio/activity';
import { retryAfterMs } from '../retry-after';
import { scrubSecrets } from '../secrets';
import { HTTP_CLIENT_ERROR, HTTP_NETWORK_ERROR, HTTP_RATE_LIMITED, HTTP_SERVER_ERROR } from '../../plan/error-types';

const BODY_IN_MESSAGE = 300;
const BODY_IN_DETAILS = 4096;

/**
 * The failure for an answer with an error status; its details carry the status, headers and the start of the body.
 * The body is scrubbed of `secrets` before it is cut, so no piece of one survives at the cut.
 */
export function statusFailure(
  request: string,
  response: Response,
  body: unknown,
  secrets: readonly string[],
): ApplicationFailure {
  const scrubbed = scrubSecrets(body, secrets);
  const text = typeof scrubbed === 'string' ? scrubbed : JSON.stringify(scrubbed);
  const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  const message = `HTTP ${status} from ${request}${text ? `: ${text.slice(0, BODY_IN_MESSAGE)}` : ''}`;
  const details = {
    status: response.status,
    headers: scrubSecrets(Object.fromEntries(response.headers), secrets),
    body: text.slice(0, BODY_IN_DETAILS),
  };
  const type =
    response.status === 429 ? HTTP_RATE_LIMITED : response.status >= 500 ? HTTP_SERVER_ERROR : HTTP_CLIENT_ERROR;
  return ApplicationFailure.create({
    message,
    type,
    nonRetryable: type === HTTP_CLIENT_ERROR,
    nextRetryDelay: type === HTTP_CLIENT_ERROR ? undefined : retryAfterMs(response.headers.get('retry-after')),
    details: [details],
  });
}

/** The failure for a request that got no complete answer; undici hides the reason in `cause`. */
export function networkFailure(request: string, err: unknown): ApplicationFailure {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const reason = cause?.code ?? cause?.message ?? (err as Error).message;
  return ApplicationFailure.retryable(`${request} failed: ${reason}`, HTTP_NETWORK_ERROR);
}

/** The failure for a request that ran past its time limit. */
export function timeoutFailure(request: string, limitMs: number): ApplicationFailure {
  return ApplicationFailure.retryable(`${request} got no complete answer within ${limitMs} ms`, HTTP_NETWORK_ERROR);
}
