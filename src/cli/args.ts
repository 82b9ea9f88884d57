import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './errors';

type Options = NonNullable<ParseArgsConfig['options']>;

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
  profile: { type: 'string' },
  address: { type: 'string' },
  namespace: { type: 'string' },
  'task-queue': { type: 'string' },
  config: { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

export const GLOBAL_HELP = `Options for every command:
  --profile NAME        Temporal connection profile of temporal.toml (env TEMPORAL_PROFILE; file TEMPORAL_CONFIG_FILE,
                        default ~/.config/temporalio/temporal.toml): address, namespace, TLS, API key
  --address HOST:PORT   Temporal frontend (env TEMPORAL_ADDRESS, default 127.0.0.1:7233); overrides the profile's
  --namespace NAME      Temporal namespace (env TEMPORAL_NAMESPACE, default "default"); overrides the profile's
  --task-queue NAME     task queue of plans and workers (env PLAN_TASK_QUEUE, default "plans")
  --config FILE         the configuration file with your own tools (env PLAN_CONFIG; default: the nearest
                        durable-plans.config.{ts,mts,cts,js,mjs,cjs} in this directory or above)
  --verbose             show stack traces of errors
  -h, --help            this help
PostgreSQL is DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).`;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** Parses a command's arguments strictly; an unknown option or a wrong number of arguments is a usage error. */
export function parseCommand(spec: CommandSpec, argv: string[]): Parsed {
  let parsed: Parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...spec.options },
      allowPositionals: true,
      strict: true,
    }) as Parsed;
  } catch (err) {
    throw usageError(`${(err as Error).message}\nusage: ${spec.usage}`);
  }
  const [min, max] = typeof spec.positionals === 'number' ? [spec.positionals, spec.positionals] : spec.positionals;
  if (!parsed.values.help && (parsed.positionals.length < min || parsed.positionals.length > max)) {
    throw usageError(`wrong number of arguments\nusage: ${spec.usage}`);
  }
  return parsed;
}

/** The help text of one command. */
export function helpText(spec: CommandSpec): string {
  return `usage: ${spec.usage}\n\n${spec.summary}\n\nExample:\n  ${spec.example}\n\n${GLOBAL_HELP}`;
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
