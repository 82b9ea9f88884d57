import { RepairBook } from '../../../src/plan/running/repair-book';
import type { StepSpec } from '../../../src/plan';

const T0 = '2026-11-22T10:00:00.000Z';
const spec = (id: string) => ({ id, parameters: { n: 1 } }) as unknown as StepSpec;

test('each action is recorded with who and when; a retry with parameters replaces the step parameters', () => {
  const book = new RepairBook();
  book.record({ kind: 'retry', step: 'a', by: 'ops', parameters: { n: 2 } }, T0);
  book.record({ kind: 'skip', step: 'b', by: 'ops', detail: 'not needed' }, T0);
  expect(book.actions).toEqual([
    { action: 'retry', step: 'a', by: 'ops', at: T0, detail: null },
    { action: 'skip', step: 'b', by: 'ops', at: T0, detail: 'not needed' },
  ]);
  expect(book.parametersOf(spec('a'))).toEqual({ n: 2 });
  expect(book.parametersOf(spec('b'))).toEqual({ n: 1 });
  expect({ skipped: book.skipped, aborted: book.aborted }).toEqual({ skipped: true, aborted: false });
});

test('progress and restore carry the actions, the replaced parameters and the marks', () => {
  const book = new RepairBook();
  book.record({ kind: 'retry', step: 'a', by: 'ops', parameters: { n: 2 } }, T0);
  book.record({ kind: 'abort', by: 'ops' }, T0);
  const next = new RepairBook();
  next.restore(JSON.parse(JSON.stringify(book.progress())));
  expect(next.actions).toEqual(book.actions);
  expect(next.parametersOf(spec('a'))).toEqual({ n: 2 });
  expect(next.aborted).toBe(true);
});
