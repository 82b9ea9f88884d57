/**
 * The `plan` command line: `npm run -s plan -- <command>` from the repository, or `plan <command>` once linked.
 * Each command lives in a file of its own beside this one; this file dispatches, prints errors without stack traces
 * (unless --verbose) and turns them into the documented exit codes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isGrpcServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { PlanNotFoundError } from '../api/read-plan-state';
import { DecisionRefusedError, PlanValidationError } from '../api/plans';
import { ConfigFileError, TemporalProfileError } from '../config';
import { globalHelp, helpText, parseCommand } from './args';
import { suggestion } from '../plan';
import { CliContext, temporalUnreachable, type Output } from './context';
import { CliError, EXIT, invalidPlan, refused, usageError } from './errors';
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
/** A command as the overview lists it (one line, known without loading its module) and how to load it. */
export interface Entry {
  summary: string;
  load: () => Command;
}
/** Every command by name (`memory set` for a group's); docs/cli.md's reference is generated from it. */
export const COMMANDS: Record<string, Entry> = {
  validate: { summary: 'check a plan file without starting it', load: () => planCommands().validate },
  start: { summary: 'validate a plan file and start it', load: () => planCommands().start },
  approve: { summary: 'approve a plan (or one gated step) waiting for it', load: () => decisions().approve },
  reject: {
    summary: 'reject a plan (or one gated step); completed steps are compensated',
    load: () => decisions().reject,
  },
  status: { summary: "a plan's status, approvals and steps", load: () => inspection().status },
  watch: { summary: 'follow a plan live until it ends', load: () => inspection().watch },
  list: { summary: 'recent plans, newest first', load: () => inspection().list },
  cancel: { summary: 'cancel a running plan; completed steps are compensated', load: () => planCommands().cancel },
  retry: { summary: 'run a failed step of a paused plan again', load: () => operator().retry },
  skip: { summary: 'skip a failed step of a paused plan', load: () => operator().skip },
  abort: { summary: 'end a paused plan, compensating its completed steps', load: () => operator().abort },
  resume: {
    summary: 'run an ended plan again under the same id, reusing completed steps',
    load: () => operator().resume,
  },
  fork: { summary: 'start a new plan from a step of an ended one', load: () => operator().fork },
  graph: { summary: "a plan's DAG as Mermaid or Graphviz DOT", load: () => inspection().graph },
  locks: { summary: 'resource locks: who holds and who waits', load: () => coordination().locks },
  breakers: { summary: 'circuit breakers that have seen failures', load: () => coordination().breakers },
  generate: {
    summary: 'ask the model for a plan, validated and repaired',
    load: () => (require('./generate-command') as typeof GenerateCommand).generate,
  },
  tools: {
    summary: 'the tools a plan step may call',
    load: () => (require('./tools-command') as typeof ToolsCommand).tools,
  },
  'memory set': { summary: 'write a JSON value to the shared memory', load: () => memory().memorySet },
  'memory get': { summary: 'read a value from the shared memory', load: () => memory().memoryGet },
  'memory delete': { summary: 'delete an entry of the shared memory', load: () => memory().memoryDelete },
  'memory list': { summary: 'list live entries of the shared memory', load: () => memory().memoryList },
  'agent start': { summary: 'start an agent', load: () => agents().agentStart },
  'agent send': { summary: "put a message in an agent's inbox", load: () => agents().agentSend },
  'agent tail': {
    summary: "follow an agent's stream live",
    load: () => (require('./agent-tail') as typeof AgentTail).agentTail,
  },
  'agent status': { summary: "an agent's state", load: () => agents().agentStatus },
  'agent pause': { summary: 'pause an agent', load: () => agents().agentPause },
  'agent resume': { summary: 'resume a paused agent or retry its failed turn', load: () => agents().agentResume },
  'agent stop': { summary: 'terminate an agent for good', load: () => agents().agentStop },
  'agent list': { summary: 'every agent, most recently active first', load: () => agents().agentList },
  setup: { summary: 'prepare a namespace and a database for plans', load: () => setupCommands().setup },
  migrate: { summary: 'apply pending PostgreSQL migrations', load: () => setupCommands().migrateCommand },
  worker: { summary: 'run a worker for plans until Ctrl-C', load: () => runtime().worker },
  promote: {
    summary: 'make a build the current version of its Worker Deployment',
    load: () => (require('./deploy-commands') as typeof DeployCommands).promote,
  },
  'replay-check': {
    summary: "replay plans' histories with this code before a deploy",
    load: () => (require('./replay-check-command') as typeof ReplayCheckCommand).replayCheck,
  },
  dev: { summary: 'bring up the local stack, like `npm start`', load: () => runtime().dev },
  'codec-server': {
    summary: 'decrypt plans for Temporal Web',
    load: () => (require('./codec-server-command') as typeof CodecServerCommand).codecServer,
  },
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Commands of two words: the group, and its subcommands' names. */
const GROUPS: Record<string, string[]> = {};
for (const name of Object.keys(COMMANDS)) {
  const [group, sub] = name.split(' ');
  if (sub !== undefined) (GROUPS[group!] ??= []).push(sub);
}

/** The commands (those of one group, for `plan memory --help`) with a line each, and the options of all of them. */
function overview(group?: string): string {
  const rows = Object.entries(COMMANDS)
    .filter(([name]) => group === undefined || name.startsWith(`${group} `))
    .map(([name, entry]) => `  ${name.padEnd(14)} ${entry.summary}`);
  return (
    `usage: plan ${group === undefined ? '<command>' : `${group} <command>`} [arguments] [options]\n\n` +
    `Commands:\n${rows.join('\n')}\n\n` +
    'Run `plan <command> --help` for its options and an example; `plan --version` prints the version.\n\n' +
    globalHelp()
  );
}

/** The package's version, read from its package.json (two folders up from src/cli and from dist/cli alike). */
function version(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** The command an argument line names, or a usage error naming the command meant. */
function commandOf(argv: string[]): { name: string; command: Command } {
  const [first = '', second] = argv;
  const subs = GROUPS[first];
  if (subs) {
    if (second !== undefined && subs.includes(second)) {
      const name = `${first} ${second}`;
      return { name, command: COMMANDS[name]!.load() };
    }
    const given = second === undefined || second.startsWith('-') ? '' : ` "${second}"`;
    throw usageError(
      `${given ? `unknown ${first} command${given}${suggestion(second!, subs)}` : `${first} needs a command`}: ` +
        `plan ${first} ${subs.join('|')} ... (see plan --help)`,
    );
  }
  if (Object.hasOwn(COMMANDS, first)) return { name: first, command: COMMANDS[first]!.load() };
  const names = [...new Set(Object.keys(COMMANDS).map((name) => name.split(' ')[0]!))];
  throw usageError(`unknown command "${first}"${suggestion(first, names)}; see plan --help`);
}

/** Runs one command line; resolves with its exit code (the process exits with it). */
export async function run(argv: string[], output: Output): Promise<number> {
  const [first, second] = argv;
  // Options end at `--`: a value after it that reads "--json" is an argument, not the flag.
  const ownArgs = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  const json = ownArgs.includes('--json');
  const verbose = ownArgs.includes('--verbose');
  if (!first || first === '--help' || first === '-h' || (first === 'help' && second === undefined)) {
    output.out(overview());
    return first ? EXIT.ok : EXIT.usage;
  }
  if (GROUPS[first] && (second === '--help' || second === '-h')) {
    output.out(overview(first));
    return EXIT.ok;
  }
  if (first === '--version' || first === '-V') {
    output.out(version());
    return EXIT.ok;
  }
  let ctx: CliContext | null = null;
  try {
    // `plan help validate` is `plan validate --help`.
    const words = first === 'help' ? [...argv.slice(1), '--help'] : argv;
    const { name, command } = commandOf(words);
    const parsed = parseCommand(command.spec, words.slice(name.split(' ').length));
    if (parsed.values.help) {
      output.out(helpText(command.spec));
      return EXIT.ok;
    }
    ctx = new CliContext(parsed.values as Record<string, string>, { ...output, json: parsed.values.json === true });
    return await command.run(ctx, parsed);
  } catch (err) {
    const failure = asCliError(err, ctx);
    if (json) output.out(JSON.stringify(errorJson(failure), null, 2));
    else output.err(verbose && err instanceof Error && err.stack ? err.stack : failure.message);
    return failure.exitCode;
  } finally {
    await ctx?.close().catch(() => undefined);
  }
}

/**
 * What `--json` prints on stdout when a command fails (its exit code unchanged): one shape for every failure, with an
 * invalid plan's problems one by one.
 */
function errorJson(failure: CliError) {
  return {
    ok: false,
    error: {
      type: failure.type,
      message: failure.message,
      exitCode: failure.exitCode,
      ...(failure.problems.length > 0 ? { problems: failure.problems } : {}),
    },
  };
}

// gRPC status codes of a server that went away or did not answer in time.
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

/** Known failures keep their meaning; a server that stopped answering mid-command is exit 3; the rest is 1. */
function asCliError(err: unknown, ctx: CliContext | null): CliError {
  if (err instanceof CliError) return err;
  // The plan-level failures every command can meet, mapped once: a refusal is 1, an unknown plan or a bad plan is 2.
  if (err instanceof DecisionRefusedError) return refused(`refused: ${err.message}`);
  if (err instanceof WorkflowNotFoundError) {
    const namespace = ctx?.config.namespace ?? 'default';
    return new CliError(`no plan "${err.workflowId}" in namespace ${namespace}`, EXIT.usage, 'not_found');
  }
  if (err instanceof PlanNotFoundError) return new CliError(err.message, EXIT.usage, 'not_found');
  if (err instanceof ConfigFileError) return new CliError(`configuration file ${err.message}`, EXIT.usage);
  if (err instanceof TemporalProfileError) return new CliError(err.message, EXIT.usage);
  if (err instanceof PlanValidationError) return invalidPlan(err.problems, 'the plan is invalid:');
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
  // A reader that has read all it wanted (`plan status x --json | head -1`) closes the pipe: that ends the command
  // quietly, not with an EPIPE stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit();
    });
  }
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
