/**
 * `plan graph --format svg`: the DAG laid out by Graphviz in WebAssembly, no `dot` binary — every step in its box,
 * filled with its status's colour when a run's state is given.
 */
import { checkPlan, PlanState } from '../../src/plan';
import { renderGraph } from '../../src/cli/graph';

const T0 = '2026-11-22T10:00:00.000Z';

const { plan } = checkPlan({
  steps: [
    { id: 'fetch', toolName: 'echo' },
    { id: 'parse', toolName: 'echo', dependsOn: ['fetch'] },
    { id: 'check', toolName: 'echo', dependsOn: ['fetch'] },
    { id: 'report', toolName: 'noop', dependsOn: ['parse', 'check'] },
  ],
});

test('a plan file: an SVG document with every step and every dependency, no status colours', async () => {
  const svg = await renderGraph(plan!, 'svg');
  expect(svg).toMatch(/^<\?xml[^]*<svg [^]*<\/svg>$/);
  for (const id of ['fetch', 'parse', 'check', 'report']) expect(svg).toContain(`>${id}</text>`);
  expect(svg.match(/<g id="edge\d+" class="edge">/g)).toHaveLength(4);
  expect(svg).not.toContain('#b7ebb7');
});

test("a run: each step's box is filled with its status's colour and names the status", async () => {
  const state = new PlanState(plan!, 'p', T0);
  state.beginExecution(T0);
  state.start('fetch', T0);
  state.complete('fetch', {}, 1, T0);
  state.start('parse', T0);
  state.fail('check', 'no', null, 1, T0);
  const svg = await renderGraph(plan!, 'svg', state.snapshot());
  const fills = (colour: string) => svg.split(`fill="${colour}"`).length - 1;
  // completed, running, failed, pending
  expect([fills('#b7ebb7'), fills('#b3d9ff'), fills('#f5b5b5'), fills('#eeeeee')]).toEqual([1, 1, 1, 1]);
  for (const status of ['completed', 'running', 'failed', 'pending']) expect(svg).toContain(`>${status}</text>`);
});
