import { commandRefusal, parseCommandShape, shapeAllows } from '../../src/tools/shell/command-shape';
import { envAllowed, envRefusal } from '../../src/tools/shell/env-allowlist';

const shapes = (...entries: string[]) => entries.map(parseCommandShape);

describe('command shapes (PLAN_SHELL_ALLOW)', () => {
  test('literal words must match exactly and in order; a final * allows any further arguments, or none', () => {
    const [status, log, echo] = shapes('git status', 'git  log   *', 'echo *');
    expect(log!.text).toBe('git log *');
    expect(shapeAllows(status!, 'git', ['status'])).toBe(true);
    expect(shapeAllows(status!, 'git', ['status', '--porcelain'])).toBe(false);
    expect(shapeAllows(status!, 'git', [])).toBe(false);
    expect(shapeAllows(log!, 'git', ['log'])).toBe(true);
    expect(shapeAllows(log!, 'git', ['log', '--oneline', '-5'])).toBe(true);
    expect(shapeAllows(log!, 'git', ['-c', 'alias.log=!sh', 'log'])).toBe(false);
    expect(shapeAllows(echo!, 'echo', [])).toBe(true);
    expect(shapeAllows(echo!, '/bin/echo', ['hi'])).toBe(false);
  });

  test('a bare program name allows the program only without arguments', () => {
    const [ls] = shapes('ls');
    expect(shapeAllows(ls!, 'ls', [])).toBe(true);
    expect(shapeAllows(ls!, 'ls', ['-la'])).toBe(false);
  });

  test('an entry where * is not the last word, or that has no program, is refused when the worker starts', () => {
    expect(() => parseCommandShape('git * status')).toThrow('"*" may only be the last word');
    expect(() => parseCommandShape('*')).toThrow('must start with a program');
    expect(() => parseCommandShape('   ')).toThrow('must start with a program');
  });

  test('a refusal names the closest shape of the same program', () => {
    const allow = shapes('git status', 'git log *', 'ls', 'echo *');
    expect(commandRefusal(allow, 'git', ['log', '-1'])).toBeNull();
    expect(commandRefusal(allow, 'git', ['-c', 'alias.x=!sh -c id', 'x'])).toBe(
      'shell may not run git -c "alias.x=!sh -c id" x: the closest shape in the worker\'s PLAN_SHELL_ALLOW is ' +
        '"git status" (a shape is a program and literal arguments, a final "*" allowing any others)',
    );
    expect(commandRefusal(allow, 'git', ['status', '--short'])).toContain('closest shape');
    expect(commandRefusal(allow, 'git', ['status', '--short'])).toContain('"git status"');
  });

  test('a call a bare name no longer allows says how to migrate', () => {
    expect(commandRefusal(shapes('ls', 'echo *'), 'ls', ['-la'])).toContain(
      'a bare program name allows it only without arguments (in 0.1.0 it allowed any): list "ls *" to allow any',
    );
  });

  test('an unlisted program gets the list of what is allowed; an empty list says so', () => {
    expect(commandRefusal(shapes('git status', 'ls'), 'sh', ['-c', 'id'])).toBe(
      'shell may not run sh -c id: the worker\'s PLAN_SHELL_ALLOW has no shape for "sh"; it allows "git status", "ls"',
    );
    expect(commandRefusal([], 'ls', [])).toContain("the worker's PLAN_SHELL_ALLOW is empty");
  });
});

describe('environment variables (PLAN_SHELL_ENV_ALLOW)', () => {
  test('only listed names, or names under a listed prefix, may be set', () => {
    const allow = ['GREETING', 'APP_*'];
    expect(envAllowed(allow, 'GREETING')).toBe(true);
    expect(envAllowed(allow, 'APP_MODE')).toBe(true);
    expect(envAllowed(allow, 'GREETINGS')).toBe(false);
    expect(envRefusal(allow, ['GREETING', 'OTHER'])).toBe(
      "shell may not set the environment variable OTHER: the worker's PLAN_SHELL_ENV_ALLOW allows only GREETING, APP_*",
    );
    expect(envRefusal([], ['A'])).toContain('PLAN_SHELL_ENV_ALLOW is empty');
  });

  test.each([
    'NODE_OPTIONS',
    'LD_PRELOAD',
    'LD_LIBRARY_PATH',
    'DYLD_INSERT_LIBRARIES',
    'GIT_SSH_COMMAND',
    'GIT_CONFIG_COUNT',
    'BASH_ENV',
    'ENV',
    'PYTHONPATH',
    'PYTHONSTARTUP',
    'PERL5OPT',
    'RUBYOPT',
    'JAVA_TOOL_OPTIONS',
    'npm_config_script_shell',
    'HOME',
  ])('%s, a loader or interpreter hook, passes no pattern, only its exact name', (name) => {
    expect(envAllowed(['*'], name)).toBe(false);
    expect(envAllowed([`${name.slice(0, 3)}*`], name)).toBe(false);
    expect(envRefusal(['*'], [name])).toContain('lets the program load code or configuration');
    expect(envAllowed(['*', name], name)).toBe(true);
  });
});
