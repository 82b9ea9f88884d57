import { ApplicationFailure } from '@temporalio/common';
import { MCP_TOOL_ERROR, MCP_UNAVAILABLE } from '../../plan/error-types';

/** What `tools/call` answers, as far as a step needs it. */
export interface McpCallResult {
  content?: readonly ({ type: string; text?: unknown } & Record<string, unknown>)[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/**
 * A call's answer as the step's result: the structured content when the tool gives one (what its output schema
 * describes); else its text, the text blocks joined by newlines; else, when there are blocks other than text (images,
 * resources), every block as the server sent it.
 */
export function mcpStepResult(result: McpCallResult): unknown {
  if (result.structuredContent !== undefined) return result.structuredContent;
  const content = result.content ?? [];
  if (content.every((block) => block.type === 'text')) return texts(result);
  return content;
}

/**
 * An `isError` answer as the step's failure: the tool refused or failed on this input, and the same call would get
 * the same answer, so it is not retried. The message is the server's own text.
 */
export function mcpToolFailure(toolName: string, result: McpCallResult): ApplicationFailure {
  const said = texts(result) || JSON.stringify(result.structuredContent ?? result.content ?? null);
  return ApplicationFailure.nonRetryable(`MCP tool "${toolName}" failed: ${said}`, MCP_TOOL_ERROR);
}

// JSON-RPC codes the SDK uses for a request that got no answer (ConnectionClosed, RequestTimeout).
const NO_ANSWER = [-32000, -32001];

/**
 * A call that threw: no answer (the connection closed, the server did not answer in time, the transport failed) is
 * retried, as McpUnavailable; an error the server answered with (a JSON-RPC error: unknown tool, invalid params) is
 * McpToolError and not retried. A cancelled step's abort is passed on as it is.
 */
export function mcpCallFailure(toolName: string, err: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return err;
  const code = (err as { code?: unknown }).code;
  const message = (err as Error).message ?? String(err);
  if (typeof code === 'number' && code < 0 && !NO_ANSWER.includes(code)) {
    return ApplicationFailure.nonRetryable(`MCP tool "${toolName}" was refused: ${message}`, MCP_TOOL_ERROR);
  }
  return ApplicationFailure.retryable(`MCP tool "${toolName}" got no answer: ${message}`, MCP_UNAVAILABLE);
}

function texts(result: McpCallResult): string {
  return (result.content ?? [])
    .filter((block) => block.type === 'text')
    .map((block) => String(block.text))
    .join('\n');
}
