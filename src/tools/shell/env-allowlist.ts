/**
 * Which environment variables a step may pass to a command (PLAN_SHELL_ENV_ALLOW): exact names, or a prefix ending in
 * `*` (`APP_*`; a lone `*` is any name). Variables through which a program loads code or configuration of the
 * setter's choosing are never matched by a pattern, only by their exact name: an allowed `git status` with
 * GIT_SSH_COMMAND, or an allowed `node` with NODE_OPTIONS=--require, runs anything.
 */
const INTERPRETER_HOOKS = [
  // The dynamic loader and the C library.
  'LD_\\w+',
  'DYLD_\\w+',
  'GCONV_PATH',
  'LOCPATH',
  'MALLOC_\\w+',
  'HOSTALIASES',
  // Shells.
  'BASH_ENV',
  'ENV',
  'BASH_FUNC_.+',
  'SHELLOPTS',
  'BASHOPTS',
  'PS4',
  'PROMPT_COMMAND',
  'IFS',
  'ZDOTDIR',
  // Interpreters and runtimes.
  'NODE_OPTIONS',
  'NODE_PATH',
  'NODE_REPL_EXTERNAL_MODULE',
  'PYTHON\\w*',
  'PERL\\w*',
  'RUBY\\w*',
  'GEM_\\w+',
  'BUNDLE_\\w+',
  'JAVA_TOOL_OPTIONS',
  '_JAVA_OPTIONS',
  'JDK_JAVA_OPTIONS',
  'CLASSPATH',
  'LUA_\\w+',
  'TCLLIBPATH',
  '[Nn][Pp][Mm]_[Cc][Oo][Nn][Ff][Ii][Gg]_\\w+',
  // Tools that run another program or read their configuration from where a variable points.
  'GIT_\\w+',
  'EDITOR',
  'VISUAL',
  'PAGER',
  'MANPAGER',
  'LESSOPEN',
  'LESSCLOSE',
  'SSH_ASKPASS',
  'SUDO_ASKPASS',
  'BROWSER',
  'HOME',
  'XDG_CONFIG_HOME',
  'XDG_CONFIG_DIRS',
  'OPENSSL_CONF',
  // Where traffic goes and whom it trusts.
  'SSL_CERT_\\w+',
  'CURL_CA_BUNDLE',
  'REQUESTS_CA_BUNDLE',
  '[Hh][Tt][Tt][Pp][Ss]?_[Pp][Rr][Oo][Xx][Yy]',
  'ALL_PROXY',
  'all_proxy',
];
const INTERPRETER_HOOK = new RegExp(`^(${INTERPRETER_HOOKS.join('|')})$`);

/** Whether a variable is one of those loader, interpreter or configuration hooks. */
export function isInterpreterHook(name: string): boolean {
  return INTERPRETER_HOOK.test(name);
}

/** Whether the PLAN_SHELL_ENV_ALLOW entries let a step set `name`. */
export function envAllowed(allow: readonly string[], name: string): boolean {
  if (allow.includes(name)) return true;
  if (isInterpreterHook(name)) return false;
  return allow.some((entry) => entry.endsWith('*') && name.startsWith(entry.slice(0, -1)));
}

/** Null when every name is allowed; otherwise why the first one that is not was refused. */
export function envRefusal(allow: readonly string[], names: readonly string[]): string | null {
  const refused = names.find((name) => !envAllowed(allow, name));
  if (refused === undefined) return null;
  const why = isInterpreterHook(refused)
    ? `it lets the program load code or configuration of the setter's choosing, so only the exact name in the ` +
      `worker's PLAN_SHELL_ENV_ALLOW allows it`
    : allow.length === 0
      ? `the worker's PLAN_SHELL_ENV_ALLOW is empty (comma-separated names, or prefixes ending in "*")`
      : `the worker's PLAN_SHELL_ENV_ALLOW allows only ${allow.join(', ')}`;
  return `shell may not set the environment variable ${refused}: ${why}`;
}
