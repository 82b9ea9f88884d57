/** `plan tools`: the tools a plan may call, as the worker and the planner see them. */
import { suggestion } from '../plan';
import { openAiFunctionTools, withMcpTools, type ToolDescription } from '../tools';
import { withSubplanTool } from '../tools/subplan-description';
import { stringOption } from './args';
import { EXIT, usageError } from './errors';
import type { Command } from './command';
import type { CliContext } from './context';
import { table } from './render-state';
import { noun } from './plural';
import { printable } from './printable';

const FORMATS = ['table', 'json', 'openai'] as const;
type Format = (typeof FORMATS)[number];

export const tools: Command = {
  spec: {
    usage: 'plan tools [name] [--format table|json|openai] [--json]',
    summary:
      'Lists the tools a plan step may call — the built-ins, those of the configuration file, and `subplan` — with\n' +
      'their risk and what they do; given a name, that tool alone in full: its description and parameters.\n' +
      "--format json (or --json) prints the full catalogue, with each tool's secret parameters and the\n" +
      'JSON Schemas of its parameters and result (what the LLM planner is given); --format openai prints OpenAI\n' +
      "function-tool definitions, for an agent's own model. The tools of the configuration's MCP servers are listed\n" +
      'as mcp.<server>.<tool>: the command connects to the servers to ask them.',
    example: 'npm run -s plan -- tools --format openai > tools.json',
    options: {
      json: { type: 'boolean', description: 'the same as --format json' },
      format: {
        type: 'string',
        value: 'FORMAT',
        description: 'table (default), json (the full catalogue) or openai (OpenAI function tools)',
      },
    },
    positionals: [0, 1],
  },
  async run(ctx, parsed) {
    const format = formatOf(stringOption(parsed, 'format'), ctx.output.json);
    const name = parsed.positionals[0];
    const every = withSubplanTool(await describeConnected(ctx));
    const catalogue = name === undefined ? every : every.filter((tool) => tool.name === name);
    if (catalogue.length === 0) throw unknownTool(name!, every);
    // A tool asked for by name is printed as itself, not as a list of one.
    const shown = <T>(list: T[]) => (name === undefined ? list : list[0]);
    if (format === 'json') ctx.output.out(JSON.stringify(shown(catalogue), null, 2));
    else if (format === 'openai') ctx.output.out(JSON.stringify(shown(openAiFunctionTools(catalogue)), null, 2));
    else if (name !== undefined) ctx.output.out(describeOne(catalogue[0]!));
    else
      ctx.output.out(
        table(
          ['TOOL', 'RISK', 'DESCRIPTION'],
          // An MCP server's tools describe themselves: their words are printed, never obeyed by the terminal.
          catalogue.map((tool) => [printable(tool.name), tool.risk, printable(firstSentence(tool.description))]),
        ),
      );
    return EXIT.ok;
  },
};

function unknownTool(name: string, tools: readonly ToolDescription[]) {
  const names = tools.map((tool) => tool.name);
  return usageError(`no tool "${name}"${suggestion(name, names)}; \`plan tools\` lists them all`);
}

/** One tool in full, as a person reads it: name and risk, what it does, the JSON Schema of its parameters. */
function describeOne(tool: ToolDescription): string {
  const secret = tool.secretParams.length > 0 ? `\nSecret parameters: ${tool.secretParams.join(', ')}` : '';
  return (
    `${printable(tool.name)} (risk: ${tool.risk})\n\n${printable(tool.description)}${secret}\n\n` +
    `Parameters (JSON Schema):\n${JSON.stringify(tool.parameters, null, 2)}`
  );
}

/** The catalogue with its MCP servers' tools, which only the servers can list: connected for as long as that takes. */
async function describeConnected(ctx: CliContext): Promise<ToolDescription[]> {
  const tools = await ctx.tools();
  const servers = Object.keys(tools.mcpServers);
  if (servers.length === 0) return tools.describe();
  ctx.output.err(`connecting to MCP ${noun(servers.length, 'server')} ${servers.join(', ')}…`);
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
