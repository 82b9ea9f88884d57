/** Who gets resources next: shared reads, exclusive writes, no overtaking of a blocked writer, priority with aging. */
import { blockersOf, grantable, MAX_BLOCKERS_SHOWN, type QueuedRequest } from '../../src/store/lock-queue';
import type { ResourceClaim } from '../../src/plan';

let arrival = 0;
function request(id: string, claims: Array<[string, ResourceClaim['mode']]>, more: Partial<QueuedRequest> = {}) {
  return {
    requestId: id,
    planId: `plan-${id}`,
    stepId: 'step',
    claims: claims.map(([name, mode]) => ({ name, mode })),
    priority: 0,
    waitedMs: 0,
    arrival: arrival++,
    granted: false,
    ...more,
  };
}
const ids = (requests: QueuedRequest[]) => requests.map((r) => r.requestId);
const AGING = 30_000;

test('readers are granted together; a writer waits for them, and readers behind the writer wait for it', () => {
  const queue = [
    request('r1', [['db', 'read']], { granted: true }),
    request('r2', [['db', 'read']]),
    request('w', [['db', 'write']]),
    request('r3', [['db', 'read']]),
  ];
  expect(ids(grantable(queue, AGING))).toEqual(['r2']);
  expect(blockersOf('w', queue, AGING)).toEqual([
    { resource: 'db', mode: 'read', planId: 'plan-r1', stepId: 'step', holds: true },
  ]);
  // Once the readers are done, r3 is held up by nobody holding: by the writer ahead of it in line.
  const afterReaders = queue
    .map((r) => ({ ...r, granted: false }))
    .filter((r) => r.requestId !== 'r1' && r.requestId !== 'r2');
  expect(blockersOf('r3', afterReaders, AGING)).toEqual([
    { resource: 'db', mode: 'write', planId: 'plan-w', stepId: 'step', holds: false },
  ]);
  expect(ids(grantable(afterReaders, AGING))).toEqual(['w']);
});

test('all of a request is granted at once or none of it, so a partly free request holds nothing', () => {
  const queue = [
    request('holder', [['a', 'write']], { granted: true }),
    request('both', [
      ['a', 'write'],
      ['b', 'write'],
    ]),
    request('b-only', [['b', 'write']]),
  ];
  // "both" holds nothing while it waits, but keeps its place: "b-only" may not take b ahead of it.
  expect(ids(grantable(queue, AGING))).toEqual([]);
  expect(blockersOf('b-only', queue, AGING)).toEqual([
    { resource: 'b', mode: 'write', planId: 'plan-both', stepId: 'step', holds: false },
  ]);
});

test('higher priority goes first; waiting long enough outranks it', () => {
  const fresh = [
    request('old', [['x', 'write']], { waitedMs: 1_000 }),
    request('urgent', [['x', 'write']], { priority: 2 }),
  ];
  expect(ids(grantable(fresh, AGING))).toEqual(['urgent']);
  const aged = [
    request('old', [['x', 'write']], { waitedMs: 3 * AGING }),
    request('urgent', [['x', 'write']], { priority: 2 }),
  ];
  expect(ids(grantable(aged, AGING))).toEqual(['old']);
});

test('a waiter behind a hundred readers names only the first few of them', () => {
  const readers = Array.from({ length: 100 }, (_, i) => request(`r${i}`, [['db', 'read']], { granted: true }));
  const queue = [...readers, request('w', [['db', 'write']])];
  expect(blockersOf('w', queue, AGING)).toHaveLength(MAX_BLOCKERS_SHOWN);
});
