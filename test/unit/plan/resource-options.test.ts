/** A step's `resources` and the plan's `priority` as an author meets them: defaults filled, every mistake named. */
import { checkPlan, compactPlan } from '../../../src/plan';

test('a bare name is a write; modes as written; priority defaults to 0 and survives compacting', () => {
  const { plan, problems } = checkPlan({
    options: { priority: 5 },
    steps: [
      { id: 'a', toolName: 'echo', resources: ['db:orders', { name: 'index:products', mode: 'read' }] },
      { id: 'b', toolName: 'echo' },
    ],
  });
  expect(problems).toEqual([]);
  expect(plan!.steps[0]!.resources).toEqual([
    { name: 'db:orders', mode: 'write' },
    { name: 'index:products', mode: 'read' },
  ]);
  expect(plan!.steps[1]!.resources).toEqual([]);
  expect(plan!.options.priority).toBe(5);
  expect(checkPlan(compactPlan(plan!)).plan).toEqual(plan);
  expect(checkPlan({ steps: [{ id: 'a', toolName: 'echo' }] }).plan!.options.priority).toBe(0);
});

test('unknown modes, empty or repeated names, and resources on a sub-plan are refused together', () => {
  const { plan, problems } = checkPlan({
    options: { priority: 5000 },
    steps: [
      {
        id: 'a',
        toolName: 'echo',
        resources: [{ name: 'db:orders', mode: 'exclusive' }, '', 'db:x', { name: 'db:x', mode: 'read' }, 7],
      },
      { id: 'b', toolName: 'echo', resources: 'db:orders' },
      {
        id: 'c',
        toolName: 'subplan',
        parameters: { plan: { steps: [{ id: 'x', toolName: 'echo' }] } },
        resources: ['db:y'],
      },
      { id: 'd', toolName: 'echo', resources: [{ name: 'db:z', mod: 'read' }] },
    ],
  });
  expect(plan).toBeNull();
  const said = problems.map((p) => `${p.field}: ${p.message}`);
  expect(said).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^options\.priority: /),
      'resources[0].mode: unknown mode "exclusive"; a resource is taken for read (shared) or write (exclusive)',
      'resources[1]: a resource name must be non-empty, without leading or trailing spaces',
      'resources[3]: names "db:x" twice; give it once, with the mode it needs',
      'resources[4]: must be a resource name or { name, mode }',
      'resources: must be a list of resource names or { name, mode } (mode read or write)',
      "resources: a sub-plan step holds no resources itself: declare them on the sub-plan's own steps",
      expect.stringMatching(/^resources\[0\]: unknown key "mod" \(did you mean "mode"\?\)/),
    ]),
  );
});
