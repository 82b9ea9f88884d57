import { planDetails } from '../../src/api/plan-details';
import { checkPlan } from '../../src/plan';

const planOf = (steps: unknown[]) => {
  const { plan, problems } = checkPlan({ steps });
  if (!plan) throw new Error(JSON.stringify(problems));
  return plan;
};

test("a plan's details list each step: id, tool, description, what it waits for, its gate", () => {
  const plan = planOf([
    { id: 'build', toolName: 'echo', description: 'Build the\nrelease' },
    { id: 'deploy', toolName: 'noop', dependsOn: ['build'], requiresApproval: true },
  ]);
  expect(planDetails(plan)).toBe(
    [
      '**2 steps**',
      '',
      '- `build` (`echo`): Build the release',
      '- `deploy` (`noop`) — after `build` — needs approval',
    ].join('\n'),
  );
});

test("a plan too large for Temporal's 20,000-byte details lists what fits and says how many it left out", () => {
  const steps = Array.from({ length: 3000 }, (_, i) => ({
    id: `s${i}`,
    toolName: 'echo',
    description: 'x'.repeat(40),
  }));
  const details = planDetails(planOf(steps));
  expect(Buffer.byteLength(JSON.stringify(details))).toBeLessThanOrEqual(20_000);
  const shown = details.split('\n').filter((line) => line.startsWith('- `s')).length;
  expect(shown).toBeGreaterThan(100);
  expect(details.split('\n').at(-1)).toBe(`- … and ${3000 - shown} more steps (\`plan status\` lists them all)`);
});
