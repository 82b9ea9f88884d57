/** The `plan` command line's parsing of one command's arguments, and its refusals in the CLI's own words. */
import { helpText, parseCommand, type CommandSpec } from '../../src/cli/args';
import { CliError } from '../../src/cli/errors';
import { count } from '../../src/cli/plural';

const spec: CommandSpec = {
  usage: 'plan try <planId> [<step>] [--by NAME] [--tag TEXT ...] [--json] [--no-approval]',
  summary: 'A command for tests.',
  example: 'npm run -s plan -- try p-1 --by alice',
  options: {
    by: { type: 'string', value: 'NAME', description: 'who does it' },
    tag: { type: 'string', value: 'TEXT', multiple: true, description: 'a tag (repeatable)' },
    json: { type: 'boolean', description: 'print JSON' },
    'no-approval': { type: 'boolean', description: 'no approval' },
  },
  positionals: [1, 2],
};

function refusal(argv: string[]): { message: string; exitCode: number } {
  try {
    parseCommand(spec, argv);
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    return { message: (err as CliError).message, exitCode: (err as CliError).exitCode };
  }
  throw new Error(`parsed: ${argv.join(' ')}`);
}

test('options in every spelling, repeated options as a list, --no-x as a flag of its own, global options', () => {
  expect(
    parseCommand(spec, ['p-1', '--by=alice', '--tag', 'a', '--tag', 'b', '--no-approval', '--namespace', 'ns', '-h']),
  ).toEqual({
    values: expect.objectContaining({
      by: 'alice',
      tag: ['a', 'b'],
      'no-approval': true,
      json: undefined,
      namespace: 'ns',
      help: true,
    }),
    positionals: ['p-1'],
  });
  expect(parseCommand(spec, ['p-1']).values['no-approval']).toBeUndefined();
  // After `--`, what looks like an option is an argument.
  expect(parseCommand(spec, ['p-1', '--', '--json']).positionals).toEqual(['p-1', '--json']);
});

test('refusals are usage errors (exit 2) in our words, with the usage', () => {
  const usage = `\nusage: ${spec.usage}`;
  expect(refusal(['p-1', '--jsn'])).toEqual({
    message: `unknown option --jsn (did you mean --json?)${usage}`,
    exitCode: 2,
  });
  expect(refusal(['p-1', '--nmespace=x']).message).toMatch(/^unknown option --nmespace \(did you mean --namespace\?\)/);
  expect(refusal(['p-1', '--zzz']).message).toBe(`unknown option --zzz${usage}`);
  expect(refusal(['p-1', '--by']).message).toBe(`--by needs a value (--by <NAME>)${usage}`);
  expect(refusal([]).message).toBe(`missing <planId>${usage}`);
  expect(refusal(['a', 'b', 'c', 'd']).message).toBe(`too many arguments: c d${usage}`);
});

test("help lists each option with what it does, the global ones apart, and the command's example", () => {
  const help = helpText(spec);
  expect(help).toMatch(/^Usage: plan try <planId>/);
  expect(help).toMatch(/^ {2}--by <NAME> +who does it$/m);
  expect(help).toMatch(/^ {2}--tag <TEXT> +a tag \(repeatable\)$/m);
  expect(help).toMatch(/\nOptions for every command:\n {2}--profile <NAME> /);
  expect(help).toContain('\nExample:\n  npm run -s plan -- try p-1 --by alice\n');
});

test('counts take the singular for one', () => {
  expect([count(0, 'step'), count(1, 'step'), count(2, 'batch', 'batches'), count(1, 'history', 'histories')]).toEqual([
    '0 steps',
    '1 step',
    '2 batches',
    '1 history',
  ]);
});
