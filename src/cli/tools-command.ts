/** `plan tools`: the tools a plan may call, as the worker and the planner see them. */
import { builtinRegistry } from '../tools';
import { EXIT } from './errors';
import type { Command } from './plan-commands';
import { table } from './render-state';

export const tools: Command = {
  spec: {
    usage: 'plan tools [--json]',
    summary:
      'Lists the tools a plan step may call: name, risk and what it does. --json prints the full catalogue, with each\n' +
      "tool's secret parameters and the JSON Schema of its parameters (what the LLM planner is given).",
    example: 'npm run -s plan -- tools --json',
    options: { json: { type: 'boolean' } },
    positionals: 0,
  },
  async run(ctx) {
    const catalogue = builtinRegistry().describe();
    if (ctx.output.json) ctx.output.out(JSON.stringify(catalogue, null, 2));
    else ctx.output.out(table(['TOOL', 'RISK', 'DESCRIPTION'], catalogue.map((tool) => [tool.name, tool.risk, firstSentence(tool.description)])));
    return EXIT.ok;
  },
};

// The table stays one line per tool; --json and --help-level detail live in the full description.
function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  return end === -1 ? text : text.slice(0, end + 1);
}
