import { Ending } from '../../../src/plan/running/ending';

test('the first ending wins: a failure after a cancellation still ends the plan cancelled, for the first reason', () => {
  const ending = new Ending();
  ending.stop('cancelled', 'timeout');
  ending.stop('failed', 'step "a" failed: boom');
  expect(ending).toMatchObject({ kind: 'cancelled', reason: 'timeout', stopping: true });
});

test('a pause stops new starts until it is lifted, and leaves nothing behind', () => {
  const ending = new Ending();
  ending.pause('step "a" failed: boom');
  expect(ending).toMatchObject({ kind: null, reason: 'step "a" failed: boom', stopping: true, paused: true });
  ending.resume();
  expect(ending).toMatchObject({ kind: null, reason: null, stopping: false, paused: false });
});

test('a cancellation or an abort ends a paused run; a rejection leaves the pause for the operator', () => {
  const rejected = new Ending();
  rejected.pause('step "a" failed: boom');
  rejected.stop('rejected', 'step "b" rejected by alice');
  expect(rejected).toMatchObject({ kind: 'rejected', paused: true });
  const aborted = new Ending();
  aborted.pause('step "a" failed: boom');
  aborted.abandon('failed', 'aborted by ops');
  expect(aborted).toMatchObject({ kind: 'failed', reason: 'aborted by ops', paused: false, stopping: true });
});

test('progress and restore carry the ending under the names earlier runs used', () => {
  const ending = new Ending();
  ending.stop('failed', 'boom');
  expect(ending.progress()).toEqual({ ending: 'failed', reason: 'boom', stopping: true, paused: false });
  const next = new Ending();
  next.restore(ending.progress());
  expect(next).toEqual(ending);
});
