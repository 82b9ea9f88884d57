import type { CommandShape } from './command-shape';

/** What the worker lets the `shell` tool do, from its configuration. */
export interface ShellAccess {
  /** Command shapes it may run (PLAN_SHELL_ALLOW): a program, literal arguments, an optional final `*`. */
  allow: readonly CommandShape[];
  /** Variables a step may set (PLAN_SHELL_ENV_ALLOW): exact names, or prefixes ending in `*`. */
  envAllow: readonly string[];
  /** The environment every command starts from: a few harmless variables of the worker's (PATH, HOME, LANG...). */
  env: Readonly<Record<string, string>>;
}
