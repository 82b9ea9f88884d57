import { ApplicationFailure } from '@temporalio/activity';
import { LLM_RESPONSE_TOO_LARGE } from '../../plan/error-types';

/**
 * fetch whose response bodies stop with LlmResponseTooLarge past `maxBytes`, so a broken or hostile model server
 * cannot fill the worker's memory: the openai client reads whole answers before it returns.
 */
export function cappedFetch(maxBytes: number): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (!response.body) return response;
    const declared = Number(response.headers.get('content-length'));
    if (declared > maxBytes) {
      await response.body.cancel();
      throw tooLarge(maxBytes);
    }
    let seen = 0;
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > maxBytes) controller.error(tooLarge(maxBytes));
          else controller.enqueue(chunk);
        },
      }),
    );
    return new Response(counted, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

function tooLarge(maxBytes: number): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    `the model server's answer is larger than ${maxBytes} bytes (PLAN_LLM_MAX_RESPONSE_BYTES on the worker); ` +
      'ask for less with maxTokens',
    LLM_RESPONSE_TOO_LARGE,
  );
}
