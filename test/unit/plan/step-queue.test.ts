import { StepQueue } from '../../../src/plan/running/step-queue';
import type { StepSpec } from '../../../src/plan';

const step = (id: string, dependsOn: string[] = []) => ({ id, dependsOn }) as StepSpec;
// a -> c, b -> c, c -> d
const steps = [step('a'), step('b'), step('c', ['a', 'b']), step('d', ['c'])];

test('a step becomes ready when its last dependency finishes, and only then', () => {
  const queue = new StepQueue(steps);
  expect(['a', 'b', 'c', 'd'].filter((id) => queue.allMet(id))).toEqual(['a', 'b']);
  expect(queue.dependentsOf('a')).toEqual(['c']);
  expect(queue.dependencyFinished('c')).toBe(false);
  expect(queue.dependencyFinished('c')).toBe(true);
  expect(queue.allMet('c')).toBe(true);
});

test('finished counts a step off its dependents and returns those it was the last dependency of', () => {
  const queue = new StepQueue(steps);
  expect(queue.finished('a')).toEqual([]);
  expect(queue.finished('b')).toEqual(['c']);
  expect(queue.finished('c')).toEqual(['d']);
});

test('take hands out queued steps in order, dropping those no longer startable', () => {
  const queue = new StepQueue(steps);
  ['a', 'b', 'c'].forEach((id) => queue.push(id));
  expect(queue.take((id) => id !== 'a')).toBe('b');
  expect(queue.take(() => true)).toBe('c');
  expect(queue.take(() => true)).toBeNull();
  expect(queue.empty).toBe(true);
});

test('a long queue stays in order while its consumed front is dropped', () => {
  const many = Array.from({ length: 5000 }, (_, i) => step(`s${i}`));
  const queue = new StepQueue(many);
  many.forEach((s) => queue.push(s.id));
  const taken: string[] = [];
  for (let id = queue.take(() => true); id; id = queue.take(() => true)) taken.push(id);
  expect(taken).toEqual(many.map((s) => s.id));
});

test('progress carries the partly met counts of open steps; restore queues what has nothing left to wait for', () => {
  const first = new StepQueue(steps);
  first.dependencyFinished('c'); // a finished
  expect(first.progress(() => true)).toEqual([['c', 1]]);
  const next = new StepQueue(steps);
  next.restore([['c', 0]], (id) => id === 'c');
  expect(next.allMet('c')).toBe(true);
  expect(next.take(() => true)).toBe('c');
});
