/**
 * The `plan` command line: `npm run -s plan -- <command>` from the repository, or `plan <command>` once linked.
 * Each command lives in a file of its own beside this one; this file dispatches, prints errors without stack traces
 * (unless --verbose) and turns them into the documented exit codes.
 */
import { isGrpcServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { PlanNotFoundError } from '../api/read-plan-state';
import { DecisionRefusedError, PlanValidationError } from '../api/plans';
import { ConfigFileError, TemporalProfileError } from '../config';
import { GLOBAL_HELP, helpText, parseCommand } from './args';
import { formatProblem } from '../plan';
import { CliContext, temporalUnreachable, type Output } from './context';
import { CliError, EXIT } from './errors';
import type { Command } from './command';
import type * as PlanCommands from './plan-commands';
import type * as DecisionCommands from './decision-commands';
import type * as InspectionCommands from './inspection-commands';
import type * as OperatorCommands from './operator-commands';
import type * as MemoryCommands from './memory-commands';
import type * as RuntimeCommands from './runtime-commands';
import type * as GenerateCommand from './generate-command';
import type * as ToolsCommand from './tools-command';
import type * as CodecServerCommand from './codec-server-command';
import type * as SetupCommands from './setup-commands';
import type * as DeployCommands from './deploy-commands';
import type * as ReplayCheckCommand from './replay-check-command';
import type * as AgentCommands from './agent-commands';
import type * as AgentTail from './agent-tail';
import type * as CoordinationCommands from './coordination-commands';

// Each command's module is loaded when that command runs: `plan validate` or `plan status` need not load the worker
// and its native bridge (most of a second of start-up, paid by every script and agent that calls the CLI).
/* eslint-disable @typescript-eslint/no-require-imports -- require() is what loads lazily under tsx, jest and dist */
const planCommands = () => require('./plan-commands') as typeof PlanCommands;
const decisions = () => (require('./decision-commands') as typeof DecisionCommands).decisionCommands;
const inspection = () => require('./inspection-commands') as typeof InspectionCommands;
const operator = () => require('./operator-commands') as typeof OperatorCommands;
const memory = () => require('./memory-commands') as typeof MemoryCommands;
const runtime = () => require('./runtime-commands') as typeof RuntimeCommands;
const setupCommands = () => require('./setup-commands') as typeof SetupCommands;
const agents = () => require('./agent-commands') as typeof AgentCommands;
const coordination = () => require('./coordination-commands') as typeof CoordinationCommands;
const COMMANDS: Record<string, () => Command> = {
  validate: () => planCommands().validate,
  start: () => planCommands().start,
  approve: () => decisions().approve,
  reject: () => decisions().reject,
  status: () => inspection().status,
  watch: () => inspection().watch,
  list: () => inspection().list,
  cancel: () => planCommands().cancel,
  retry: () => operator().retry,
  skip: () => operator().skip,
  abort: () => operator().abort,
  resume: () => operator().resume,
  fork: () => operator().fork,
  graph: () => inspection().graph,
  locks: () => coordination().locks,
  breakers: () => coordination().breakers,
  generate: () => (require('./generate-command') as typeof GenerateCommand).generate,
  tools: () => (require('./tools-command') as typeof ToolsCommand).tools,
  'memory set': () => memory().memorySet,
  'memory get': () => memory().memoryGet,
  'memory delete': () => memory().memoryDelete,
  'memory list': () => memory().memoryList,
  'agent start': () => agents().agentStart,
  'agent send': () => agents().agentSend,
  'agent tail': () => (require('./agent-tail') as typeof AgentTail).agentTail,
  'agent status': () => agents().agentStatus,
  'agent pause': () => agents().agentPause,
  'agent resume': () => agents().agentResume,
  'agent stop': () => agents().agentStop,
  'agent list': () => agents().agentList,
  setup: () => setupCommands().setup,
  migrate: () => setupCommands().migrateCommand,
  worker: () => runtime().worker,
  promote: () => (require('./deploy-commands') as typeof DeployCommands).promote,
  'replay-check': () => (require('./replay-check-command') as typeof ReplayCheckCommand).replayCheck,
  dev: () => runtime().dev,
  'codec-server': () => (require('./codec-server-command') as typeof CodecServerCommand).codecServer,
};
/* eslint-enable @typescript-eslint/no-require-imports */

function overview(): string {
  const rows = Object.entries(COMMANDS).map(
    ([name, load]) => `  ${name.padEnd(14)} ${load().spec.summary.split('\n')[0]}`,
  );
  return `usage: plan <command> [arguments] [options]\n\nCommands:\n${rows.join('\n')}\n\nRun \`plan <command> --help\` for its options and an example.\n\n${GLOBAL_HELP}`;
}

/** Runs one command line; resolves with its exit code (the process exits with it). */
export async function run(argv: string[], output: Output): Promise<number> {
  const [first, second] = argv;
  if (!first || first === '--help' || first === '-h' || first === 'help') {
    output.out(overview());
    return first ? EXIT.ok : EXIT.usage;
  }
  const grouped = first === 'memory' || first === 'agent';
  const name = grouped ? `${first} ${second ?? ''}`.trim() : first;
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name]!() : undefined;
  if (!command) {
    output.err(
      first === 'memory'
        ? 'usage: plan memory set|get|delete|list ... (see plan --help)'
        : first === 'agent'
          ? 'usage: plan agent start|send|tail|status|pause|resume|stop|list ... (see plan --help)'
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
  if (err instanceof TemporalProfileError) return new CliError(err.message, EXIT.usage);
  if (err instanceof PlanValidationError) {
    return new CliError(`the plan is invalid:\n${err.problems.map(formatProblem).join('\n')}`, EXIT.usage);
  }
  if (isGrpcServiceError(err) && (err.code === GRPC_UNAVAILABLE || err.code === GRPC_DEADLINE_EXCEEDED)) {
    return temporalUnreachable(ctx?.temporalAddress ?? 'the configured address', err, ctx?.config.temporal.profile);
  }
  const said = withCauses(err);
  // A namespace nobody prepared refuses the plans' search attributes: the one thing to do is in the message.
  const hint = /search attribute/i.test(said) ? '; run `plan setup` to register the search attributes' : '';
  return new CliError(`error: ${said}${hint} (run with --verbose for details)`, EXIT.planEndedBadly);
}

/**
 * An error's message followed by its causes' (the SDK wraps the server's answer: "Failed to start Workflow" says
 * nothing until the gRPC error under it is read), each once.
 */
function withCauses(err: unknown): string {
  const parts: string[] = [];
  for (let at: unknown = err; at !== undefined && at !== null && parts.length < 5;) {
    const message = at instanceof Error ? at.message : String(at);
    if (!parts.some((part) => part.includes(message))) parts.push(message);
    at = at instanceof Error ? at.cause : undefined;
  }
  return parts.join(': ');
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
