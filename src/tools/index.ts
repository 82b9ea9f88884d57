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

export { ToolRegistry } from './registry';
export { defineTool, type Tool, type ToolContext, type RiskLevel } from './tool';
export { FAIL_TOOL_ERROR } from './testkit/fail';

/** Every tool the project ships; adding a tool is one file and one line here. */
export const BUILTIN_TOOLS: Tool[] = [echo, noop, sleep, fail, memorySet, memoryGet, memoryDelete, memoryList] as Tool[];

/** The registry the worker, the client and the planner share by default. */
export function builtinRegistry(): ToolRegistry {
  return new ToolRegistry(BUILTIN_TOOLS);
}
