/** What the worker lets the `shell` tool do, from its configuration. */
export interface ShellAccess {
  /** Executables it may run (PLAN_SHELL_ALLOW), compared exactly: names looked up on PATH, or absolute paths. */
  allow: readonly string[];
  /** The environment every command starts from: a few harmless variables of the worker's (PATH, HOME, LANG...). */
  env: Readonly<Record<string, string>>;
}
