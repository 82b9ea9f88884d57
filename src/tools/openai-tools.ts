import type { ToolDescription } from './registry';

/** One tool as OpenAI's chat completions and responses APIs take it (`tools: [...]`). */
export interface OpenAiFunctionTool {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** The catalogue as OpenAI function tools, so an agent's own model can call the same tools its plans use. */
export function openAiFunctionTools(tools: readonly ToolDescription[]): OpenAiFunctionTool[] {
  return tools.map(({ name, description, parameters }) => {
    // OpenAI reads the schema itself, not a document: the dialect marker is noise there.
    const { $schema: _dialect, ...schema } = parameters;
    return { type: 'function', function: { name, description, parameters: schema } };
  });
}
