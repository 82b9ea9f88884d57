import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecretSource } from '../../src/activities/secret-source';

// PLAN_SECRETS_FILE is read at each look-up: a wrong path must fail the step with a reason, never hang or fill memory.
const dir = mkdtempSync(join(tmpdir(), 'secret-source-'));
const fromFile = (file: string) => createSecretSource({ values: {}, file });

test('a secret comes from the values first, then the file', () => {
  const file = join(dir, 'secrets.json');
  writeFileSync(file, JSON.stringify({ API_TOKEN: 'from-file', BOTH: 'file' }));
  const source = createSecretSource({ values: { BOTH: 'env' }, file });
  expect(source('API_TOKEN')).toBe('from-file');
  expect(source('BOTH')).toBe('env');
  expect(() => source('NOT_THERE')).toThrow(`unknown secret "NOT_THERE": give the worker PLAN_SECRET_NOT_THERE`);
});

test.each([
  ['a device that never ends', () => '/dev/zero', 'not a regular file'],
  ['a folder', () => dir, 'not a regular file'],
  ['a missing file', () => join(dir, 'missing.json'), 'no such file'],
  [
    'a file over 1 MiB',
    () => {
      const file = join(dir, 'huge.json');
      writeFileSync(file, JSON.stringify({ A: 'x'.repeat(2 * 1024 * 1024) }));
      return file;
    },
    'over the limit of 1048576',
  ],
  [
    'text that is not JSON, which is not quoted back',
    () => {
      const file = join(dir, 'bad.json');
      writeFileSync(file, 'API_TOKEN=hunter2');
      return file;
    },
    'not JSON',
  ],
])('%s is refused, naming why', (_name, path, reason) => {
  const file = path();
  let thrown: unknown;
  try {
    fromFile(file)('API_TOKEN');
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toMatchObject({ type: 'UnknownSecret', nonRetryable: true });
  expect((thrown as Error).message).toContain(reason);
  expect((thrown as Error).message).not.toContain('hunter2');
});
