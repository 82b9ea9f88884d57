/**
 * `plan memory set|get|delete|list` as a user runs them: the shared memory store from the shell, against the
 * suite's throw-away database, each test in a project (the namespace's first part) of its own.
 */
import { randomUUID } from 'node:crypto';
import { cli, STACK_TRACE, type CliResult } from '../support/cli';

jest.setTimeout(60_000);

function expectUserError(result: CliResult, code: number, ...messages: string[]) {
  expect({ code: result.code, stdout: result.stdout }).toEqual({ code, stdout: '' });
  for (const message of messages) expect(result.stderr).toContain(message);
  expect(result.stderr).not.toMatch(STACK_TRACE);
}

describe('plan memory', () => {
  /** A namespace of this test's own. */
  const namespace = (project = `cli-${randomUUID().slice(0, 8)}`) => `${project}/prod/planner/s-1`;

  test('set, get, compare-and-set, delete: JSON values round trip, a stale version is refused naming both versions', async () => {
    const ns = namespace();
    const value = { limit: 100, tags: ['a', 'b'], nested: { ok: true, none: null } };
    const created = await cli(['memory', 'set', ns, 'budget', JSON.stringify(value), '--expect-version', '0']);
    expect(created).toEqual({ code: 0, stdout: `${ns} budget: version 1\n`, stderr: '' });
    const updated = await cli(['memory', 'set', ns, 'budget', '"just text"', '--expect-version', '1']);
    expect(updated).toEqual({ code: 0, stdout: `${ns} budget: version 2\n`, stderr: '' });

    const [plain, entry, stale] = await Promise.all([
      cli(['memory', 'get', ns, 'budget']),
      cli(['memory', 'get', ns, 'budget', '--json']),
      cli(['memory', 'set', ns, 'budget', JSON.stringify(value), '--expect-version', '1']),
    ]);
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.stdout)).toBe('just text');
    expect(entry.code).toBe(0);
    expect(JSON.parse(entry.stdout)).toEqual({
      namespace: { project: ns.split('/')[0], environment: 'prod', agentType: 'planner', sessionId: 's-1' },
      key: 'budget',
      value: 'just text',
      version: 2,
      expiresAt: null,
      writtenBy: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expectUserError(stale, 1, 'refused:', 'expected version 1', 'found version 2');

    const deleted = await cli(['memory', 'delete', ns, 'budget']);
    expect(deleted).toEqual({ code: 0, stdout: `deleted budget from ${ns}\n`, stderr: '' });
    expectUserError(await cli(['memory', 'get', ns, 'budget']), 1, `no entry budget in ${ns}`);
  });

  test('list <prefix> --json: the entries under the prefix (exact on each part), with an expiry where --ttl set one', async () => {
    const project = `cli-${randomUUID().slice(0, 8)}`;
    const before = Date.now();
    const sets = await Promise.all([
      cli(['memory', 'set', `${project}/prod/planner/s-1`, 'a', '1', '--ttl', '3600']),
      cli(['memory', 'set', `${project}/prod/coder/s-2`, 'b', '{"x":[1,2,3]}']),
      cli(['memory', 'set', `${project}/prod2/planner/s-1`, 'c', 'true']),
    ]);
    expect(sets.map((r) => r.code)).toEqual([0, 0, 0]);
    const expiry = /^\S+ a: version 1, expires (\S+)\n$/.exec(sets[0]!.stdout)?.[1];
    expect(expiry).toBeDefined();
    expect(Date.parse(expiry!) - before).toBeGreaterThan(3_540_000);
    expect(Date.parse(expiry!) - before).toBeLessThan(3_660_000);

    const list = await cli(['memory', 'list', `${project}/prod`, '--json']);
    expect(list.code).toBe(0);
    const entries = JSON.parse(list.stdout) as Array<Record<string, unknown>>;
    expect(entries.map((e) => e.key).sort()).toEqual(['a', 'b']);
    const a = entries.find((e) => e.key === 'a')!;
    const b = entries.find((e) => e.key === 'b')!;
    expect(a).toMatchObject({
      namespace: { project, environment: 'prod', agentType: 'planner', sessionId: 's-1' },
      value: 1,
      version: 1,
      expiresAt: expiry,
    });
    expect(b).toMatchObject({
      namespace: { project, environment: 'prod', agentType: 'coder', sessionId: 's-2' },
      value: { x: [1, 2, 3] },
      expiresAt: null,
    });
    expect(Object.keys(a).sort()).toEqual([
      'createdAt',
      'expiresAt',
      'key',
      'namespace',
      'updatedAt',
      'value',
      'version',
      'writtenBy',
    ]);
  });

  test('a namespace without four parts and a value that is not JSON are usage errors', async () => {
    const [badNamespace, notJson] = await Promise.all([
      cli(['memory', 'set', 'a/b', 'k', '1']),
      cli(['memory', 'set', namespace(), 'k', '{oops']),
    ]);
    expectUserError(badNamespace, 2, 'namespace "a/b" must have 4 parts: project/environment/agent_type/session_id');
    expectUserError(notJson, 2, 'the value must be JSON');
  });
});
