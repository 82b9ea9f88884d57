import { ToolRegistry } from './registry';
import type { Tool } from './tool';
import { echo } from './testkit/echo';
import { fail } from './testkit/fail';
import { noop } from './testkit/noop';
import { sleep } from './testkit/sleep';
import { memoryDelete } from './memory/memory-delete';
import { memoryGet } from './memory/memory-get';
import { memoryList } from './memory/memory-list';
import { memorySet } from './memory/memory-set';
import { httpRequest } from './http/http-request';
import { shell } from './shell/shell';
import { sqlQuery } from './sql/sql-query';
import { llmChat } from './llm/llm-chat';
import { merge } from './fusion/merge';

export { ToolRegistry, secretParamsOf, type ToolDescription } from './registry';
export { defineTool, INVALID_PARAMETERS, INVALID_TOOL_RESULT, type Tool, type ToolContext, type RiskLevel } from './tool';
export { StepMemory, type StepWriter } from './step-memory';
export { openAiFunctionTools, type OpenAiFunctionTool } from './openai-tools';
export { createToolServices, NO_TOOL_SETTINGS, type ToolServices, type ToolSettings } from './services';
export { FAIL_TOOL_ERROR } from './testkit/fail';
export { MERGE_NOTHING } from './fusion/merge';
export { HTTP_CLIENT_ERROR, HTTP_NETWORK_ERROR, HTTP_RATE_LIMITED, HTTP_SERVER_ERROR } from './http/http-failures';
export { SHELL_EXIT_ERROR, SHELL_NOT_ALLOWED, SHELL_SPAWN_ERROR, SHELL_TIMEOUT } from './shell/shell';
export { SQL_CONNECTION_ERROR, SQL_ERROR, SQL_READ_ONLY_VIOLATION, SQL_UNKNOWN_CONNECTION } from './sql/sql-failures';
export { LLM_NOT_CONFIGURED, LLM_REQUEST_ERROR, LLM_UNAVAILABLE } from './llm/llm-failures';

/** Every tool the project ships; adding a tool is one file and one line here. */
export const BUILTIN_TOOLS: Tool[] = [
  echo, noop, sleep, fail, memorySet, memoryGet, memoryDelete, memoryList, httpRequest, shell, sqlQuery, llmChat,
  merge,
] as Tool[];

/** The registry the worker, the client and the planner share by default. */
export function builtinRegistry(): ToolRegistry {
  return new ToolRegistry(BUILTIN_TOOLS);
}
