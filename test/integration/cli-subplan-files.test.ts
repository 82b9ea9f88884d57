import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli';

test('plan start/validate inline sub-plan files, relative to the plan that names them, recursively', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dp-subfiles-'));
  mkdirSync(join(dir, 'agents'));
  writeFileSync(join(dir, 'agents', 'inner.yaml'), 'steps:\n  - { id: deep, toolName: echo, parameters: { x: 1 } }\n');
  writeFileSync(
    join(dir, 'agents', 'analyst.yaml'),
    'steps:\n  - { id: nested, toolName: subplan, parameters: { file: inner.yaml } }\n',
  );
  writeFileSync(
    join(dir, 'parent.yaml'),
    'steps:\n  - { id: outer, toolName: subplan, parameters: { file: agents/analyst.yaml } }\n',
  );
  writeFileSync(
    join(dir, 'broken.yaml'),
    'steps:\n  - { id: outer, toolName: subplan, parameters: { file: agents/missing.yaml } }\n',
  );
  writeFileSync(
    join(dir, 'bad-child.yaml'),
    'steps:\n  - { id: outer, toolName: subplan, parameters: { file: bad.yaml } }\n',
  );
  writeFileSync(join(dir, 'bad.yaml'), 'steps:\n  - { id: x, toolName: teleport }\n');

  const ok = await cli(['validate', join(dir, 'parent.yaml')]);
  expect(ok).toMatchObject({ code: 0, stdout: 'valid: 1 step, 0 batches\n' });
  const missing = await cli(['validate', join(dir, 'broken.yaml')]);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/sub-plan file agents\/missing.yaml: no such file/);
  const bad = await cli(['validate', join(dir, 'bad-child.yaml')]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/step "outer": parameters.plan: .*unknown tool "teleport"/);
});
