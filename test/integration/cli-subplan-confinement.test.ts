import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_PLAN_BYTES } from '../../src/plan';
import { cli } from '../support/cli';

// Plans are written by language models too: a sub-plan `file:` must not become a way to read the machine.
let dir: string;
let outside: string;
beforeAll(() => {
  outside = mkdtempSync(join(tmpdir(), 'dp-outside-'));
  writeFileSync(join(outside, 'outside.yaml'), 'steps:\n  - { id: stolen, toolName: echo }\n');
  const parent = mkdtempSync(join(tmpdir(), 'dp-confined-'));
  dir = join(parent, 'plans');
  mkdirSync(join(dir, 'agents'), { recursive: true });
  writeFileSync(join(parent, 'sibling.yaml'), 'steps:\n  - { id: sibling, toolName: echo }\n');
  writeFileSync(join(dir, 'agents', 'ok.yaml'), 'steps:\n  - { id: fine, toolName: echo }\n');
  symlinkSync(join(outside, 'outside.yaml'), join(dir, 'agents', 'link.yaml'));
  writeFileSync(join(dir, 'big.yaml'), `# ${'x'.repeat(MAX_PLAN_BYTES)}\nsteps: []\n`);
});

function planNaming(file: string): string {
  const path = join(dir, `names-${Buffer.from(file).toString('hex').slice(0, 40)}.yaml`);
  writeFileSync(path, `steps:\n  - { id: outer, toolName: subplan, parameters: { file: ${JSON.stringify(file)} } }\n`);
  return path;
}

test('a sub-plan file inside the plan folder is inlined', async () => {
  expect(await cli(['validate', planNaming('agents/ok.yaml')])).toMatchObject({ code: 0 });
});

test.each([
  ['a parent folder', '../sibling.yaml', /outside the plan's folder/],
  ['another folder', '', /outside the plan's folder/],
  ['/etc/passwd', '/etc/passwd', /outside the plan's folder/],
  ['a symlink pointing out', 'agents/link.yaml', /outside the plan's folder .* \(it is .*outside\.yaml\)/],
  ['/dev/zero', '/dev/zero', /outside the plan's folder/],
  ['a folder', 'agents', /not a regular file/],
  ['a file over the plan size limit', 'big.yaml', new RegExp(`bytes, over the limit of ${MAX_PLAN_BYTES}`)],
])('a sub-plan file in %s is refused, naming the step and the file', async (_where, file, reason) => {
  const target = file === '' ? join(outside, 'outside.yaml') : file;
  const result = await cli(['validate', planNaming(target)]);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(`step "outer": sub-plan file ${target}: `);
  expect(result.stderr).toMatch(reason);
  expect(result.stderr).not.toContain('stolen');
});

test('a device or a huge file as the plan itself is refused before it is read', async () => {
  expect(await cli(['validate', '/dev/zero'])).toMatchObject({
    code: 2,
    stderr: expect.stringContaining('not a regular file'),
  });
  const big = await cli(['validate', join(dir, 'big.yaml')]);
  expect(big).toMatchObject({ code: 2, stderr: expect.stringContaining(`over the limit of ${MAX_PLAN_BYTES}`) });
});
