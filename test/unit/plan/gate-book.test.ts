import { GateBook } from '../../../src/plan/gate-book';
import { normalizePlan, type Plan } from '../../../src/plan';

const T0 = '2026-11-22T10:00:00.000Z';
const plan = (requireApproval: boolean): Plan =>
  normalizePlan({
    options: { requireApproval },
    steps: [
      { id: 'a', toolName: 'x' },
      { id: 'b', toolName: 'x', requiresApproval: true },
    ],
  }).plan!;

test('the plan gate opens with the run; step gates exist for the steps that require approval', () => {
  const book = new GateBook(plan(true), T0, true);
  expect(book.plan?.openedAt).toBe(Date.parse(T0));
  expect(book.step('a')).toBeUndefined();
  expect(book.step('b')?.openedAt).toBeNull();
  expect(new GateBook(plan(false), T0, false).plan).toBeNull();
});

test('open gates and the next deadline: a stopping plan no longer waits, step gates only while steps wait', () => {
  const book = new GateBook(plan(true), T0, true);
  book.step('b')!.openedAt = Date.parse(T0) + 500;
  expect([...book.open(false, false)]).toEqual([book.plan]);
  expect([...book.open(false, true)]).toEqual([book.plan, book.step('b')]);
  expect([...book.open(true, true)]).toEqual([book.step('b')]);
  expect(book.nextDeadline(1000, false, true)).toBe(Date.parse(T0) + 1000);
  expect(book.nextDeadline(1000, true, true)).toBe(Date.parse(T0) + 1500);
  expect(book.nextDeadline(1000, true, false)).toBeNull();
});

test('progress carries the plan gate and the step gates that moved; restore takes them over', () => {
  const book = new GateBook(plan(true), T0, true);
  book.plan!.apply({ decision: 'approve', by: 'alice', text: null, step: null }, T0);
  const carried = book.progress();
  expect(carried.stepGates).toEqual([]);
  const next = new GateBook(plan(true), '2026-11-23T00:00:00.000Z', true);
  next.restore(carried);
  expect(next.plan?.state).toBe('approved');
  expect(next.plan?.openedAt).toBe(Date.parse(T0));
});
