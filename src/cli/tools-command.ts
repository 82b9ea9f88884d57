/** `plan tools`: the tools a plan may call, as the worker and the planner see them. */
import { openAiFunctionTools, withMcpTools, type ToolDescription } from '../tools';
import { stringOption } from './args';
import { EXIT, usageError } from './errors';
import type { Command } from './command';
import type { CliContext } from './context';
import { table } from './render-state';

const FORMATS = ['table', 'json', 'openai'] as const;
type Format = (typeof FORMATS)[number];

export const tools: Command = {
  spec: {
    usage: 'plan tools [--format table|json|openai] [--json]',
    summary:
      'Lists the tools a plan step may call — the built-ins and those of the configuration file — with their risk and\n' +
      "what they do. --format json (or --json) prints the full catalogue, with each tool's secret parameters and the\n" +
      'JSON Schemas of its parameters and result (what the LLM planner is given); --format openai prints OpenAI\n' +
      "function-tool definitions, for an agent's own model. The tools of the configuration's MCP servers are listed\n" +
      'as mcp.<server>.<tool>: the command connects to the servers to ask them.',
    example: 'npm run -s plan -- tools --format openai > tools.json',
    options: { json: { type: 'boolean' }, format: { type: 'string' } },
    positionals: 0,
  },
  async run(ctx, parsed) {
    const format = formatOf(stringOption(parsed, 'format'), ctx.output.json);
    const catalogue = await describeConnected(ctx);
    if (format === 'json') ctx.output.out(JSON.stringify(catalogue, null, 2));
    else if (format === 'openai') ctx.output.out(JSON.stringify(openAiFunctionTools(catalogue), null, 2));
    else
      ctx.output.out(
        table(
          ['TOOL', 'RISK', 'DESCRIPTION'],
          catalogue.map((tool) => [tool.name, tool.risk, firstSentence(tool.description)]),
        ),
      );
    return EXIT.ok;
  },
};

/** The catalogue with its MCP servers' tools, which only the servers can list: connected for as long as that takes. */
async function describeConnected(ctx: CliContext): Promise<ToolDescription[]> {
  const tools = await ctx.tools();
  const servers = Object.keys(tools.mcpServers);
  if (servers.length === 0) return tools.describe();
  ctx.output.err(`connecting to MCP servers ${servers.join(', ')}…`);
  const connected = await withMcpTools(tools);
  try {
    return connected.tools.describe();
  } finally {
    await connected.close();
  }
}

/** --format, else json for --json, else table; --json beside another format is a contradiction, not a choice. */
function formatOf(given: string | undefined, json: boolean): Format {
  if (given === undefined) return json ? 'json' : 'table';
  if (!(FORMATS as readonly string[]).includes(given))
    throw usageError(`--format must be one of ${FORMATS.join(', ')}; got "${given}"`);
  if (json && given !== 'json') throw usageError(`--json means --format json; it cannot go with --format ${given}`);
  return given as Format;
}

// The table stays one line per tool; --json and --help-level detail live in the full description.
function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  return end === -1 ? text : text.slice(0, end + 1);
}
