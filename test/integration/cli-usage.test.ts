/**
 * The `plan` command line as a user meets it before any plan runs: help, usage errors and their exit codes,
 * unreachable servers, `validate` and `graph` of a file. Each command is
 * `node scripts/plan.js ...` in a child process against the suite's dev server and throw-away database.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../src/cli/main';
import { freePort } from '../../src/dev/free-port';
import { cli, planFiles, STACK_TRACE, type CliResult } from '../support/cli';
import { uniqueId } from '../support/plan-worker';

jest.setTimeout(60_000);

const file = planFiles();

// The CLI gives a Temporal server 5 s to answer before it says it is unreachable: this call starts first and runs
// while the other tests do, and the test about it reads its result. (--address overrides TEMPORAL_ADDRESS, which
// points every other call at the suite's server.)
let temporalUnreachable: Promise<{ address: string; result: CliResult }>;
beforeAll(() => {
  temporalUnreachable = freePort().then(async (port) => {
    const address = `127.0.0.1:${port}`;
    return { address, result: await cli(['status', 'any-plan', '--address', address]) };
  });
  temporalUnreachable.catch(() => undefined); // reported by the test that awaits it
});

/** The one-line problems a user error prints: its message alone, no stack trace, nothing on stdout. */
function expectUserError(result: CliResult, code: number, ...messages: string[]) {
  expect({ code: result.code, stdout: result.stdout }).toEqual({ code, stdout: '' });
  for (const message of messages) expect(result.stderr).toContain(message);
  expect(result.stderr).not.toMatch(STACK_TRACE);
}

describe('help', () => {
  const COMMANDS = [
    'validate',
    'start',
    'approve',
    'reject',
    'status',
    'watch',
    'list',
    'cancel',
    'retry',
    'skip',
    'abort',
    'resume',
    'fork',
    'graph',
    'generate',
    'tools',
    'memory set',
    'memory get',
    'memory delete',
    'memory list',
    'agent start',
    'agent send',
    'agent tail',
    'agent status',
    'agent pause',
    'agent resume',
    'agent stop',
    'agent list',
    'setup',
    'migrate',
    'worker',
    'promote',
    'replay-check',
    'dev',
    'codec-server',
  ];

  test('plan with no command prints the overview of every command and exits 2', async () => {
    const result = await cli([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^usage: plan <command> \[arguments\] \[options\]\n/);
    for (const name of COMMANDS) expect(result.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    expect(result.stdout).toContain('Run `plan <command> --help` for its options and an example;');
    expect(result.stdout).toMatch(/^ {2}--address <HOST:PORT> +Temporal frontend/m);
    expect(result.stdout).toMatch(/^ {2}--profile <NAME> +Temporal connection profile/m);
  });

  // One process proves the wiring (exit code, stdout, nothing on stderr); the help of every command is then read
  // through the same entry point in this process. Twenty-odd processes, each loading the whole CLI from TypeScript
  // sources, took more than a minute on a busy machine for what is the same code path.
  test('--help prints its usage and an example and exits 0, starting nothing', async () => {
    const { code, stdout, stderr } = await cli(['validate', '--help']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^Usage: plan validate\b/);
  });

  test.each(COMMANDS)('plan %s --help prints its usage, each option with what it does, an example', async (name) => {
    let stdout = '';
    let stderr = '';
    const output = {
      json: false,
      tty: false,
      out: (text: string) => (stdout += text),
      err: (text: string) => (stderr += text),
    };
    const code = await run([...name.split(' '), '--help'], output);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(new RegExp(`^Usage: plan ${name}\\b`));
    expect(stdout).toMatch(/\nExample:\n {2}\S*.*plan -- /);
    expect(stdout).toContain('Options for every command:');
    // Every option the usage names is listed with a line saying what it does.
    const options = stdout.split('\n').filter((line) => /^ {2}(-\w, )?--/.test(line));
    for (const flag of stdout.split('\n')[0]!.match(/--[a-z-]+/g) ?? []) {
      expect(options).toContainEqual(expect.stringMatching(new RegExp(`^ {2}(-\\w, )?${flag}( <[^>]+>)? +\\S`)));
    }
    for (const line of options) expect(line).toMatch(/^ {2}(-\w, )?--[a-z-]+( <[^>]+>)? {2,}\S/);
  });

  test('plan help <command> is plan <command> --help; plan <group> --help lists its commands', async () => {
    const { code, stdout } = await cli(['help', 'graph']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: plan graph /);
    // A group's help lists its commands.
    const memory = await cli(['memory', '--help']);
    expect(memory.code).toBe(0);
    expect(memory.stdout).toMatch(/^usage: plan memory <command>/);
    expect(memory.stdout).toMatch(/^ {2}memory set +write a JSON value/m);
  });

  test('plan --version and -V print the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-V'])
      expect(await cli([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('usage errors exit 2 with the reason and no stack trace', () => {
  test('unknown command, unknown option, missing argument, bad --status, bad --format', async () => {
    const [unknown, option, missing, badStatus, badFormat] = await Promise.all([
      cli(['frobnicate']),
      cli(['status', 'some-plan', '--bogus']),
      cli(['approve']),
      cli(['list', '--status', 'nope']),
      cli(['graph', 'examples/cicd.yaml', '--format', 'png']),
    ]);
    expectUserError(unknown, 2, 'unknown command "frobnicate"; see plan --help');
    expectUserError(option, 2, 'unknown option --bogus\nusage: plan status <planId> [--json]');
    expectUserError(missing, 2, 'missing <planId>\nusage: plan approve <planId>');
    expectUserError(badStatus, 2, '--status must be one of draft, pending_approval, approved, executing', 'got "nope"');
    expectUserError(badFormat, 2, '--format must be', 'got "png"');
  });

  test('a misspelt command, subcommand or option names the one meant, in our words', async () => {
    const [command, memory, agent, option, value, extra] = await Promise.all([
      cli(['vaildate', 'x']),
      cli(['memory', 'sett', 'a/b/c/d', 'k', '1']),
      cli(['agent', 'strat', 'x']),
      cli(['validate', 'examples/hello.yaml', '--jsn']),
      cli(['approve', 'x', '--by']),
      cli(['status', 'a', 'b']),
    ]);
    expectUserError(command, 2, 'unknown command "vaildate" (did you mean "validate"?); see plan --help');
    expectUserError(
      memory,
      2,
      'unknown memory command "sett" (did you mean "set"?)',
      'plan memory set|get|delete|list',
    );
    expectUserError(agent, 2, 'unknown agent command "strat" (did you mean "start"?)');
    expect(option.stderr).toBe('unknown option --jsn (did you mean --json?)\nusage: plan validate <file> [--json]\n');
    expectUserError(option, 2);
    expectUserError(value, 2, '--by needs a value (--by <NAME>)');
    expectUserError(extra, 2, 'too many arguments: b\nusage: plan status <planId>');
    // Nothing of Node's or commander's own wording.
    for (const result of [command, memory, agent, option, value, extra]) {
      expect(result.stderr).not.toMatch(/^error:|ERR_PARSE_ARGS|Did you mean/m);
    }
  });

  test('graph of something that is neither a file nor a plan: an unknown plan id', async () => {
    const id = uniqueId('no-such-plan');
    expectUserError(await cli(['graph', id]), 2, `no plan "${id}" in namespace default or in the mirror`);
  });

  test('an argument that looks like a file and is not there is "no such file" at once, not a plan id looked up', async () => {
    // Temporal at a closed port: looking the argument up as a plan id would wait 5 s and say it is unreachable.
    const address = `127.0.0.1:${await freePort()}`;
    const [misspelt, nested, json] = await Promise.all([
      cli(['graph', 'examples/cicd.yml', '--address', address]),
      cli(['graph', 'no/such-plan', '--address', address]),
      cli(['graph', 'examples/cicd.yml', '--address', address, '--json']),
    ]);
    expectUserError(misspelt, 2, 'no such file: examples/cicd.yml');
    expectUserError(nested, 2, 'no such file: no/such-plan');
    // --json is not an option of graph: the usage error itself comes as JSON.
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { type: 'usage', exitCode: 2 } });
  });

  test('--verbose shows the stack trace of the same error', async () => {
    const result = await cli(['validate', '/nonexistent/plan.yaml', '--verbose']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no such file: /nonexistent/plan.yaml');
    expect(result.stderr).toMatch(STACK_TRACE);
  });
});

describe('unreachable servers exit 3, naming the server and how to start it', () => {
  test('Temporal: --address at a closed port', async () => {
    const { address, result } = await temporalUnreachable;
    expectUserError(result, 3, `Temporal is unreachable at ${address}`, '`npm start`', '--address / TEMPORAL_ADDRESS');
  });

  test('PostgreSQL: DATABASE_URL at a closed port, with the password kept out of the message', async () => {
    const port = await freePort();
    const result = await cli(['memory', 'get', 'shop/prod/planner/s-1', 'budget'], {
      env: { DATABASE_URL: `postgres://postgres:s3cret@127.0.0.1:${port}/postgres` },
    });
    expectUserError(
      result,
      3,
      `PostgreSQL is unreachable at postgres://postgres:***@127.0.0.1:${port}/postgres`,
      '`npm start`',
      'DATABASE_URL',
    );
    expect(result.stderr).not.toContain('s3cret');
  });
});

describe('plan validate', () => {
  test('the examples are valid: steps and batches are counted; --json gives the same as an object', async () => {
    const [cicd, batches, batchesJson] = await Promise.all([
      cli(['validate', 'examples/cicd.yaml']),
      cli(['validate', 'examples/batch-test-plan.json']),
      cli(['validate', 'examples/batch-test-plan.json', '--json']),
    ]);
    expect(cicd).toEqual({ code: 0, stdout: 'valid: 6 steps, 0 batches\n', stderr: '' });
    expect(batches).toEqual({ code: 0, stdout: 'valid: 3 steps, 3 batches\n', stderr: '' });
    expect(batchesJson.code).toBe(0);
    expect(JSON.parse(batchesJson.stdout)).toEqual({ valid: true, steps: 3, batches: 3, warnings: [] });
  });

  test('a file that is not YAML or JSON: a syntax error with its file, line and column', async () => {
    const yaml = file('broken.yaml', 'description: broken\nsteps:\n  - id: a\n    toolName: echo: x\n  - id: b\n');
    const json = file(
      'broken.json',
      '{\n  "steps": [\n    { "id": "a", "toolName": "echo" }\n  ]\n  "description": "x"\n}\n',
    );
    const [yamlResult, jsonResult] = await Promise.all([cli(['validate', yaml]), cli(['validate', json])]);
    expectUserError(yamlResult, 2);
    expect(yamlResult.stderr).toMatch(new RegExp(`^${escape(yaml)}:4:15: syntax error: .+\n$`));
    expectUserError(jsonResult, 2);
    // The missing comma is noticed where the next member starts.
    expect(jsonResult.stderr).toMatch(new RegExp(`^${escape(json)}:5:3: syntax error: .+\n$`));
  });

  test('a plan with schema errors lists every problem on its own line with the step it concerns', async () => {
    const path = file('bad-plan.json', {
      steps: [
        { id: 'build', toolName: 'echo', parameters: {} },
        { id: 'build', toolName: 'noop' },
        { id: 'test', toolName: 'sleep', parameters: { ms: 'soon' }, dependsOn: ['biuld'] },
        { id: 'deploy', toolName: 'deploy_to_prod', dependsOn: ['build'] },
      ],
    });
    const result = await cli(['validate', path]);
    expectUserError(result, 2);
    const [first, ...problems] = result.stderr.trimEnd().split('\n');
    expect(first).toBe(`${path}: the plan is invalid`);
    // Every problem at once, each naming its step, rather than the first one alone.
    expect(problems).toEqual([
      'step "build": id: used by steps 1 and 2; ids must be unique',
      'step "test": dependsOn: unknown step "biuld"',
      'step "test": parameters.ms: Invalid input: expected number, received string',
      'step "deploy": toolName: unknown tool "deploy_to_prod"',
    ]);
  });

  test('a missing file', async () => {
    const path = `/nonexistent/${randomUUID()}.yaml`;
    expectUserError(await cli(['validate', path]), 2, `no such file: ${path}`);
    const json = await cli(['validate', path, '--json']);
    expect({ code: json.code, stderr: json.stderr }).toEqual({ code: 2, stderr: '' });
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      error: { type: 'no_such_file', message: `no such file: ${path}`, exitCode: 2 },
    });
  });

  test('--json: an invalid plan prints its problems as JSON on stdout, one object each, exit 2', async () => {
    const path = file('bad-for-json.json', {
      steps: [
        { id: 'a', toolName: 'echo' },
        { id: 'b', toolName: 'echo', dependsOn: ['nope'] },
      ],
    });
    const result = await cli(['validate', path, '--json']);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 2, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual({
      ok: false,
      error: {
        type: 'invalid_plan',
        message: `${path}: the plan is invalid\nstep "b": dependsOn: unknown step "nope"`,
        exitCode: 2,
        problems: [{ stepId: 'b', field: 'dependsOn', message: 'unknown step "nope"' }],
      },
    });
  });

  test('one step is "1 step"', async () => {
    const path = file('one.yaml', { steps: [{ id: 'only', toolName: 'echo' }] });
    expect(await cli(['validate', path])).toEqual({ code: 0, stdout: 'valid: 1 step, 0 batches\n', stderr: '' });
  });
});

test('a reader that stops reading (| head) ends the command quietly: no EPIPE stack, exit 0', async () => {
  const results = await Promise.all([
    cli(['tools', '--json'], { stdoutClosed: true }),
    cli(['validate', 'examples/cicd.yaml', '--json'], { stdoutClosed: true }),
  ]);
  for (const result of results) expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
});

test('plan graph of a file prints its DAG as Mermaid, one node per step and one edge per dependency', async () => {
  const result = await cli(['graph', 'examples/cicd.yaml']);
  expect(result.code).toBe(0);
  const lines = result.stdout.trimEnd().split('\n');
  expect(lines[0]).toBe('flowchart TD');
  expect(lines).toContain('  s0["git_checkout<br/>echo"]');
  expect(lines).toContain('  s5["deploy<br/>echo"]');
  // checkout -> install -> build, lint; build -> test; build, lint, test -> deploy
  expect(lines.filter((l) => l.includes('-->')).sort()).toEqual(
    ['  s0 --> s1', '  s1 --> s2', '  s1 --> s3', '  s2 --> s4', '  s2 --> s5', '  s3 --> s5', '  s4 --> s5'].sort(),
  );
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
