import { APPROVAL_TIMEOUT_ACTOR, GateBook } from '../../../src/plan/running/gate-book';
import { normalizePlan, type Plan } from '../../../src/plan';

const T0 = '2026-11-22T10:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const plan = (requireApproval: boolean, approvalTimeoutMs: number | null = 1000): Plan =>
  normalizePlan({
    options: { requireApproval, approvalTimeoutMs, onApprovalTimeout: 'approve' },
    steps: [
      { id: 'a', toolName: 'x' },
      { id: 'b', toolName: 'x', requiresApproval: true },
    ],
  }).plan!;

test('the plan gate opens with the run; step gates exist for the steps that require approval', () => {
  const book = new GateBook(plan(true), 'p', T0);
  expect(book.plan?.openedAt).toBe(Date.parse(T0));
  expect(book.step('a')).toBeUndefined();
  expect(book.step('b')?.openedAt).toBeNull();
  expect(new GateBook(plan(false), 'p', T0).plan).toBeNull();
});

test('open gates and the next deadline: a stopping plan no longer waits, step gates only while steps wait', () => {
  const book = new GateBook(plan(true), 'p', T0);
  book.step('b')!.openedAt = Date.parse(T0) + 500;
  expect([...book.open(false, false)]).toEqual([book.plan]);
  expect([...book.open(false, true)]).toEqual([book.plan, book.step('b')]);
  expect([...book.open(true, true)]).toEqual([book.step('b')]);
  expect(book.nextDeadline(false, true)).toBe(Date.parse(T0) + 1000);
  expect(book.nextDeadline(true, true)).toBe(Date.parse(T0) + 1500);
  expect(book.nextDeadline(true, false)).toBeNull();
  expect(new GateBook(plan(true, null), 'p', T0).nextDeadline(false, true)).toBeNull();
});

test('a decision is refused with the reason when its gate does not exist; a taken one is recorded', () => {
  const book = new GateBook(plan(false), 'p', T0);
  const decision = { decision: 'approve' as const, by: 'alice', text: null };
  expect(book.refusal({ ...decision, step: null })).toBe('plan "p" does not require approval');
  expect(book.refusal({ ...decision, step: 'nope' })).toBe('plan "p" has no step "nope"');
  expect(book.refusal({ ...decision, step: 'a' })).toBe('step "a" does not require approval');
  expect(book.refusal({ ...decision, step: 'b' })).toBe('step "b" is not waiting for approval yet');
  book.step('b')!.openedAt = Date.parse(T0);
  expect(book.take({ ...decision, step: 'b' }, at(10)).state).toBe('approved');
  expect(book.approvals).toEqual([{ by: 'alice', at: at(10), comment: null, step: 'b', decision: 'approve' }]);
});

test('expire takes onApprovalTimeout at the gates whose wait ran out, and only those', () => {
  const book = new GateBook(plan(true), 'p', T0);
  book.step('b')!.openedAt = Date.parse(T0) + 500;
  expect(book.expire(at(999), false, true)).toEqual([]);
  const expired = book.expire(at(1000), false, true);
  expect(expired.map(([gate]) => gate)).toEqual([book.plan]);
  expect(book.plan?.state).toBe('approved');
  expect(book.step('b')?.state).toBe('waiting');
  expect(book.approvals).toEqual([
    {
      by: APPROVAL_TIMEOUT_ACTOR,
      at: at(1000),
      comment: 'no decision within 1000 ms',
      step: null,
      decision: 'approve',
    },
  ]);
});

test('progress carries the decisions, the plan gate and the step gates that moved; restore takes them over', () => {
  const book = new GateBook(plan(true), 'p', T0);
  book.take({ decision: 'approve', by: 'alice', text: null, step: null }, T0);
  const carried = book.progress();
  expect(carried.stepGates).toEqual([]);
  const next = new GateBook(plan(true), 'p', '2026-11-23T00:00:00.000Z');
  next.restore(carried);
  expect(next.plan?.state).toBe('approved');
  expect(next.plan?.openedAt).toBe(Date.parse(T0));
  expect(next.approvals).toEqual(book.approvals);
});
