/**
 * OpenAI function names allow letters, digits, `_` and `-` (up to 64): a catalogue name with dots (`mcp.calc.add`)
 * is offered to the model as `mcp__calc__add`, and read back through the same table.
 */
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** The function name a model sees for a catalogue tool. */
export function functionName(tool: string): string {
  return tool.replaceAll('.', '__');
}

/** Function name -> catalogue tool, for the tools one agent may call; a name the model cannot be given is an error. */
export function functionTable(tools: readonly string[]): Map<string, string> {
  const table = new Map<string, string>();
  for (const tool of tools) {
    const name = functionName(tool);
    if (!FUNCTION_NAME.test(name))
      throw new Error(
        `tool "${tool}" cannot be offered to a model: its function name "${name}" is not [A-Za-z0-9_-]{1,64}`,
      );
    const taken = table.get(name);
    if (taken !== undefined) throw new Error(`tools "${taken}" and "${tool}" would reach the model under one name`);
    table.set(name, tool);
  }
  return table;
}
