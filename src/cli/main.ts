/**
 * The `plan` command line: `npm run -s plan -- <command>` from the repository, or `plan <command>` once linked.
 * Each command lives in a file of its own beside this one; this file dispatches, prints errors without stack traces
 * (unless --verbose) and turns them into the documented exit codes.
 */
import { isGrpcServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { PlanNotFoundError } from '../api/read-plan-state';
import { DecisionRefusedError, PlanValidationError } from '../api/plans';
import { ConfigFileError } from '../config';
import { GLOBAL_HELP, helpText, parseCommand } from './args';
import { formatProblem } from '../plan';
import { CliContext, temporalUnreachable, type Output } from './context';
import { decisionCommands } from './decision-commands';
import { CliError, EXIT } from './errors';
import { graph, list, status, watch } from './inspection-commands';
import { memoryDelete, memoryGet, memoryList, memorySet } from './memory-commands';
import type { Command } from './command';
import { cancel, start, validate } from './plan-commands';
import { codecServer } from './codec-server-command';
import { dev, worker } from './runtime-commands';
import { generate } from './generate-command';
import { abort, fork, resume, retry, skip } from './operator-commands';
import { tools } from './tools-command';

const COMMANDS: Record<string, Command> = {
  validate,
  start,
  ...decisionCommands,
  status,
  watch,
  list,
  cancel,
  retry,
  skip,
  abort,
  resume,
  fork,
  graph,
  generate,
  tools,
  'memory set': memorySet,
  'memory get': memoryGet,
  'memory delete': memoryDelete,
  'memory list': memoryList,
  worker,
  dev,
  'codec-server': codecServer,
};

function overview(): string {
  const rows = Object.entries(COMMANDS).map(([name, cmd]) => `  ${name.padEnd(14)} ${cmd.spec.summary.split('\n')[0]}`);
  return `usage: plan <command> [arguments] [options]\n\nCommands:\n${rows.join('\n')}\n\nRun \`plan <command> --help\` for its options and an example.\n\n${GLOBAL_HELP}`;
}

/** Runs one command line; resolves with its exit code (the process exits with it). */
export async function run(argv: string[], output: Output): Promise<number> {
  const [first, second] = argv;
  if (!first || first === '--help' || first === '-h' || first === 'help') {
    output.out(overview());
    return first ? EXIT.ok : EXIT.usage;
  }
  const name = first === 'memory' ? `memory ${second ?? ''}`.trim() : first;
  const command = COMMANDS[name];
  if (!command) {
    output.err(
      first === 'memory'
        ? 'usage: plan memory set|get|delete|list ... (see plan --help)'
        : `unknown command "${first}"; see plan --help`,
    );
    return EXIT.usage;
  }
  const rest = argv.slice(name.split(' ').length);
  const verbose = rest.includes('--verbose');
  let ctx: CliContext | null = null;
  try {
    const parsed = parseCommand(command.spec, rest);
    if (parsed.values.help) {
      output.out(helpText(command.spec));
      return EXIT.ok;
    }
    ctx = new CliContext(parsed.values as Record<string, string>, { ...output, json: parsed.values.json === true });
    return await command.run(ctx, parsed);
  } catch (err) {
    const failure = asCliError(err, ctx);
    output.err(verbose && err instanceof Error && err.stack ? err.stack : failure.message);
    return failure.exitCode;
  } finally {
    await ctx?.close().catch(() => undefined);
  }
}

// gRPC status codes of a server that went away or did not answer in time.
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

/** Known failures keep their meaning; a server that stopped answering mid-command is exit 3; the rest is 1. */
function asCliError(err: unknown, ctx: CliContext | null): CliError {
  if (err instanceof CliError) return err;
  // The plan-level failures every command can meet, mapped once: a refusal is 1, an unknown plan or a bad plan is 2.
  if (err instanceof DecisionRefusedError) return new CliError(`refused: ${err.message}`, EXIT.planEndedBadly);
  if (err instanceof WorkflowNotFoundError) {
    return new CliError(`no plan "${err.workflowId}" in namespace ${ctx?.config.namespace ?? 'default'}`, EXIT.usage);
  }
  if (err instanceof PlanNotFoundError) return new CliError(err.message, EXIT.usage);
  if (err instanceof ConfigFileError) return new CliError(`configuration file ${err.message}`, EXIT.usage);
  if (err instanceof PlanValidationError) {
    return new CliError(`the plan is invalid:\n${err.problems.map(formatProblem).join('\n')}`, EXIT.usage);
  }
  if (isGrpcServiceError(err) && (err.code === GRPC_UNAVAILABLE || err.code === GRPC_DEADLINE_EXCEEDED)) {
    return temporalUnreachable(ctx?.temporalAddress ?? 'the configured address', err);
  }
  return new CliError(
    `error: ${err instanceof Error ? err.message : String(err)} (run with --verbose for details)`,
    EXIT.planEndedBadly,
  );
}

/** Entry point of the command line (scripts/plan.js from the sources, dist/plan-cli.js in the package). */
export function main(argv: string[]): void {
  const output: Output = {
    json: false,
    tty: Boolean(process.stdout.isTTY),
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  };
  void run(argv, output).then((code) => {
    process.exitCode = code;
  });
}
