/**
 * One command's arguments, parsed by commander from the command's spec: its options (each with its help line), the
 * options every command takes, and its positionals. Commander's own error text is never shown: each of its refusals
 * is said again here, in the CLI's words, as a usage error (exit 2) naming the option meant when one is close.
 */
import { Command, CommanderError, Option } from 'commander';
import { closestName } from '../plan';
import { usageError } from './errors';

/** One option of a command: its kind, a one-line help text, and for a string the name of its value in the help. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  description: string;
  /** The value's name in the help (`--by NAME`); string options only. */
  value?: string;
  /** A string option that may be given more than once; its value is then the list. */
  multiple?: boolean;
  short?: string;
}

type Options = Record<string, OptionSpec>;

/** One command: how it is called, what it does, one example, and its options. */
export interface CommandSpec {
  usage: string;
  summary: string;
  example: string;
  options: Options;
  /** Exact number of positionals, or [min, max]. */
  positionals: number | [number, number];
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS = {
  profile: {
    type: 'string',
    value: 'NAME',
    description:
      'Temporal connection profile of temporal.toml: address, namespace, TLS, API key (env TEMPORAL_PROFILE; ' +
      'file TEMPORAL_CONFIG_FILE, default ~/.config/temporalio/temporal.toml)',
  },
  address: {
    type: 'string',
    value: 'HOST:PORT',
    description: "Temporal frontend (env TEMPORAL_ADDRESS, default 127.0.0.1:7233); overrides the profile's",
  },
  namespace: {
    type: 'string',
    value: 'NAME',
    description: 'Temporal namespace (env TEMPORAL_NAMESPACE, default "default"); overrides the profile\'s',
  },
  'task-queue': {
    type: 'string',
    value: 'NAME',
    description: 'task queue of plans and workers (env PLAN_TASK_QUEUE, default "plans")',
  },
  config: {
    type: 'string',
    value: 'FILE',
    description:
      'the configuration file with your own tools (env PLAN_CONFIG; default: the nearest ' +
      'durable-plans.config.{ts,mts,cts,js,mjs,cjs} in this directory or above)',
  },
  verbose: { type: 'boolean', description: 'show stack traces of errors' },
  help: { type: 'boolean', short: 'h', description: "this command's help: its options and an example" },
} as const satisfies Options;

const GLOBAL_HEADING = 'Options for every command:';
const DATABASE_NOTE = 'PostgreSQL is DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).';

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** Parses a command's arguments strictly; an unknown option or a wrong number of arguments is a usage error. */
export function parseCommand(spec: CommandSpec, argv: string[]): Parsed {
  const command = commanderOf(spec);
  try {
    command.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) throw usageError(`${inOurWords(err, command, argv)}\nusage: ${spec.usage}`);
    throw err;
  }
  const values: Parsed['values'] = {};
  for (const option of command.options as Option[]) {
    const value: unknown = command.getOptionValue(option.attributeName());
    const name = option.long!.slice(2);
    // `--no-approval` is a flag of its own to the commands, not commander's negation of an `approval` option.
    if (option.negate) values[name] = value === false ? true : undefined;
    else values[name] = value as string | boolean | string[] | undefined;
  }
  const positionals = command.args;
  const [min, max] = typeof spec.positionals === 'number' ? [spec.positionals, spec.positionals] : spec.positionals;
  if (!values.help && positionals.length < min) {
    // The usage names the required arguments in angle brackets (options' values are in capitals).
    const missing = (spec.usage.match(/<[^>]+>/g) ?? []).slice(positionals.length, min);
    throw usageError(`missing ${missing.join(' ') || 'arguments'}\nusage: ${spec.usage}`);
  }
  if (!values.help && positionals.length > max) {
    throw usageError(`too many arguments: ${positionals.slice(max).join(' ')}\nusage: ${spec.usage}`);
  }
  return { values, positionals };
}

/** The help text of one command: usage, what it does, each option with its help line, an example. */
export function helpText(spec: CommandSpec): string {
  // Commander adds text around the options only when it prints the help itself; this is the same, returned.
  return `${commanderOf(spec).helpInformation().trimEnd()}\n\nExample:\n  ${spec.example}\n\n${DATABASE_NOTE}`;
}

/** The options every command takes, as the overview (`plan --help`) lists them. */
export function globalHelp(): string {
  const command = new Command('plan');
  command.helpOption(false).optionsGroup(GLOBAL_HEADING);
  for (const [name, option] of Object.entries(GLOBAL_OPTIONS)) command.addOption(optionOf(name, option));
  const lines = command.helpInformation().split('\n');
  return `${lines.slice(lines.indexOf(GLOBAL_HEADING)).join('\n').trimEnd()}\n${DATABASE_NOTE}`;
}

function commanderOf(spec: CommandSpec): Command {
  const command = new Command();
  command
    .helpOption(false) // --help is one of the global options: the command line prints the help itself
    .allowExcessArguments() // counted against the spec, in our words
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined, outputError: () => undefined })
    .configureHelp({ commandUsage: () => spec.usage, showGlobalOptions: false })
    .name('plan')
    .description(spec.summary.replace(/\n/g, ' ')); // one paragraph, wrapped to the terminal by commander
  for (const [name, option] of Object.entries(spec.options)) command.addOption(optionOf(name, option));
  command.optionsGroup(GLOBAL_HEADING);
  for (const [name, option] of Object.entries(GLOBAL_OPTIONS)) command.addOption(optionOf(name, option));
  return command;
}

function optionOf(name: string, spec: OptionSpec): Option {
  const flags = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` <${spec.value ?? 'VALUE'}>` : ''}`;
  const option = new Option(flags, spec.description);
  if (spec.multiple) option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
  return option;
}

/** Commander's refusal said again: which option or argument, and the option meant when one is close. */
function inOurWords(err: CommanderError, command: Command, argv: string[]): string {
  switch (err.code) {
    case 'commander.unknownOption': {
      // Commander stops at the first unknown option: the first option-like word it did not take.
      const word = command.args.find((arg) => arg.length > 1 && arg.startsWith('-')) ?? '';
      const flag = word.split('=')[0]!;
      const known = (command.options as Option[]).map((option) => option.long!);
      const meant = closestName(flag, known);
      return `unknown option ${flag}${meant ? ` (did you mean ${meant}?)` : ''}`;
    }
    case 'commander.optionMissingArgument': {
      // Only the last word can lack its value: commander takes the next word, whatever it is, as the value.
      const flag = argv[argv.length - 1]!;
      const option = (command.options as Option[]).find((at) => at.long === flag || at.short === flag);
      return `${flag} needs a value${option ? ` (${flag} ${option.flags.split(' ').pop()})` : ''}`;
    }
    default:
      return 'cannot read the arguments';
  }
}

/** Reads a non-negative integer option, or undefined when absent. */
export function integerOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw usageError(`--${name} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

/** A string option's value, or undefined. */
export function stringOption(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}
