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
export { defineTool, type Tool, type ToolContext, type RiskLevel } from './tool';
export { StepMemory, type StepWriter } from './step-memory';
export { openAiFunctionTools, type OpenAiFunctionTool } from './openai-tools';
export { createToolServices, NO_TOOL_SETTINGS, type ToolServices, type ToolSettings } from './services';
export { OutboundPolicy } from './http/outbound-policy';
export { outboundFetch, MAX_REDIRECTS, type OutboundInit } from './http/outbound-fetch';
export { withMcpTools, type McpConfig, type McpServerConfig } from './mcp';

/** Every tool the project ships; adding a tool is one file and one line here. */
export const BUILTIN_TOOLS: Tool[] = [
  echo,
  noop,
  sleep,
  fail,
  memorySet,
  memoryGet,
  memoryDelete,
  memoryList,
  httpRequest,
  shell,
  sqlQuery,
  llmChat,
  merge,
] as Tool[];

/** The registry the worker, the client and the planner share by default. */
export function builtinRegistry(): ToolRegistry {
  return new ToolRegistry(BUILTIN_TOOLS);
}
