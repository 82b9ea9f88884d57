import {
  MemoryScope,
  normalizePlan,
  parseNamespacePattern,
  parseNamespacePrefix,
  planNamespace,
  prefixPattern,
  type MemoryNamespacePrefix,
  type NamespacePattern,
} from '../../../src/plan';

const pattern = (path: string): NamespacePattern => parseNamespacePattern(path) as NamespacePattern;
const prefix = (path: string): NamespacePattern => prefixPattern(parseNamespacePrefix(path) as MemoryNamespacePrefix);

describe('parseNamespacePattern', () => {
  test('a whole namespace or a prefix ending in /* is a pattern', () => {
    expect(parseNamespacePattern('shop/prod/agent/s1')).toEqual({
      prefix: { project: 'shop', environment: 'prod', agentType: 'agent', sessionId: 's1' },
      wildcard: false,
    });
    expect(parseNamespacePattern('shop/prod/*')).toEqual({
      prefix: { project: 'shop', environment: 'prod' },
      wildcard: true,
    });
  });

  test.each([
    ['*', /"\*" may only stand alone as the last part/],
    ['shop/*/agent/s', /"\*" may only stand alone as the last part/],
    ['shop/prod/agent*', /"\*" may only stand alone as the last part/],
    ['shop/prod/agent/s/*', /"\*" may only stand alone as the last part/],
    ['shop/prod', /must have 4 parts/],
    ['durable-plans/default/plan/other-plan', /holds each plan's own namespace for that plan alone/],
    ['durable-plans/*', /holds each plan's own namespace/],
  ])('%s is refused', (path, message) => {
    expect(parseNamespacePattern(path)).toMatch(message);
  });
});

describe('MemoryScope', () => {
  const own = planNamespace('default', 'plan-a');
  const scope = new MemoryScope(own, 'team/dev/planner/s1', ['shop/prod/agent/*', 'ops/dev/bot/x']);

  test('reaches its own namespace, memoryNamespace and what it declares', () => {
    expect(scope.allows(prefix('durable-plans/default/plan/plan-a'))).toBe(true);
    expect(scope.allows(prefix('team/dev/planner/s1'))).toBe(true);
    expect(scope.allows(prefix('shop/prod/agent/any'))).toBe(true);
    expect(scope.allows(prefix('shop/prod/agent'))).toBe(true); // listing exactly the declared prefix
    expect(scope.allows(prefix('ops/dev/bot/x'))).toBe(true);
  });

  test("refuses another plan's namespace, siblings, and prefixes wider than one declaration", () => {
    expect(scope.allows(prefix('durable-plans/default/plan/plan-b'))).toBe(false);
    expect(scope.allows(prefix('durable-plans/default/plan'))).toBe(false);
    expect(scope.allows(prefix('shop/prod/agent2/any'))).toBe(false);
    expect(scope.allows(prefix('shop/prod'))).toBe(false);
    expect(scope.allows(prefix('ops/dev/bot'))).toBe(false); // wider than the one namespace declared
    expect(scope.allows(prefix('team/dev/planner/s2'))).toBe(false);
  });

  test('a declaration is covered only by one at least as wide', () => {
    const parent = new MemoryScope(null, null, ['shop/prod/*']);
    expect(parent.allows(pattern('shop/prod/agent/*'))).toBe(true);
    expect(parent.allows(pattern('shop/prod/agent/s'))).toBe(true);
    expect(parent.allows(pattern('shop/*'))).toBe(false);
    expect(parent.allows(pattern('shop/test/agent/s'))).toBe(false);
  });

  test('the refusal names the namespace, what is declared and how to declare it', () => {
    expect(scope.refusal(prefix('victim/prod/agent/s'))).toBe(
      'shared memory namespace "victim/prod/agent/s" is outside this plan\'s reach: its steps reach the plan\'s own ' +
        'namespace and those the plan declares in options.memoryNamespaces (declared: "team/dev/planner/s1", ' +
        '"shop/prod/agent/*", "ops/dev/bot/x"); to use it, add "victim/prod/agent/s" to options.memoryNamespaces ' +
        '(a whole namespace, or a prefix ending in "/*")',
    );
    expect(scope.refusal(prefix('victim'))).toContain('"victim/*"');
  });
});

describe('options.memoryNamespaces', () => {
  const steps = [{ id: 'a', toolName: 't' }];

  test('is kept as written, and defaults to none', () => {
    const ok = normalizePlan({ options: { memoryNamespaces: ['shop/prod/*', 'ops/dev/bot/x'] }, steps });
    expect(ok.problems).toEqual([]);
    expect(ok.plan?.options.memoryNamespaces).toEqual(['shop/prod/*', 'ops/dev/bot/x']);
    expect(normalizePlan({ steps }).plan?.options.memoryNamespaces).toEqual([]);
  });

  test("every unusable entry is a problem naming it; so is memoryNamespace in the plans' own project", () => {
    const bad = normalizePlan({
      options: {
        memoryNamespaces: ['*', 'durable-plans/default/plan/victim', 7, 'shop/prod'],
        memoryNamespace: 'durable-plans/default/plan/victim',
      },
      steps,
    });
    expect(bad.problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      expect.stringMatching(
        /^options\.memoryNamespace: namespace "durable-plans\/default\/plan\/victim" is in project/,
      ),
      expect.stringMatching(/^options\.memoryNamespaces\[0\]: namespace pattern "\*": "\*" may only stand alone/),
      expect.stringMatching(/^options\.memoryNamespaces\[1\]: namespace "durable-plans\/default\/plan\/victim" is in/),
      expect.stringMatching(/^options\.memoryNamespaces\[2\]: must be a shared-memory namespace/),
      expect.stringMatching(/^options\.memoryNamespaces\[3\]: namespace "shop\/prod" must have 4 parts/),
    ]);
    expect(normalizePlan({ options: { memoryNamespaces: 'shop/*' }, steps }).problems.map((p) => p.message)).toEqual([
      'must be a list of shared-memory namespaces',
    ]);
  });
});
