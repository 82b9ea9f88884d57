import { ApplicationFailure } from '@temporalio/activity';
import { APIConnectionError, APIError } from 'openai';
import { retryAfterMs } from '../retry-after';
import { scrubSecrets, scrubText } from '../secrets';
import { LLM_REQUEST_ERROR, LLM_UNAVAILABLE } from '../../plan/error-types';

// Request timeout (408) and conflict (409) are worth another try, as the openai client's own policy says.
const RETRYABLE_STATUS = new Set([408, 409, 429]);

/**
 * Turns what the openai client threw into a typed failure holding none of `secrets` (the API key's forms): a server
 * may echo the key in its error text, and a JSON parse error quotes the answer it choked on.
 */
export function llmFailure(err: unknown, secrets: readonly string[]): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const message = scrubText(err instanceof Error ? err.message : String(err), secrets);
  if (err instanceof APIConnectionError)
    return ApplicationFailure.retryable(`model server unreachable: ${message}`, LLM_UNAVAILABLE);
  if (!(err instanceof APIError) || err.status === undefined)
    return ApplicationFailure.retryable(message, err instanceof Error ? err.name : 'Error');
  const retryable = RETRYABLE_STATUS.has(err.status) || err.status >= 500;
  return ApplicationFailure.create({
    message: `model server answered ${message}`,
    type: retryable ? LLM_UNAVAILABLE : LLM_REQUEST_ERROR,
    nonRetryable: !retryable,
    nextRetryDelay: retryable ? serverDelay(err.headers) : undefined,
    details: [scrubSecrets({ status: err.status, code: err.code ?? null }, secrets)],
  });
}

/** OpenAI sends retry-after-ms besides the standard Retry-After; either is honoured. */
function serverDelay(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  return retryAfterMs(headers?.get('retry-after'));
}
