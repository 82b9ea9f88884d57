import type { ParameterIssue, ToolCatalog } from '../plan';
import type { Tool } from './tool';

const TOOL_NAME = /^[a-z][a-z0-9_]*$/;

/** The tools a worker offers; also the catalogue the client validates plans against. */
export class ToolRegistry implements ToolCatalog {
  private readonly tools = new Map<string, Tool>();

  constructor(tools: Tool[]) {
    for (const tool of tools) {
      if (!TOOL_NAME.test(tool.name)) throw new Error(`tool name "${tool.name}" must be snake_case`);
      if (this.tools.has(tool.name)) throw new Error(`two tools are named "${tool.name}"`);
      this.tools.set(tool.name, tool);
    }
  }

  has(name: string): boolean {
    return this.tools.has(name);
  }

  get(name: string): Tool | undefined {
    return this.tools.get(name);
  }

  list(): Tool[] {
    return [...this.tools.values()];
  }

  checkParameters(name: string, parameters: Record<string, unknown>): ParameterIssue[] {
    const tool = this.tools.get(name);
    if (!tool) return [{ path: [], message: `unknown tool "${name}"` }];
    const parsed = tool.parameters.safeParse(parameters);
    if (parsed.success) return [];
    return parsed.error.issues.map((issue) => ({ path: issue.path as (string | number)[], message: issue.message }));
  }
}
