/**
 * `plan watch` on a real terminal and `plan graph --format svg` of a real run, as a user sees them: the CI/CD example
 * runs on a test worker while `plan watch` draws its live view on a pseudo-terminal read by a headless xterm. The
 * pictures in docs/images (plan-watch.svg, plan-graph.svg) are what this test saw (written there by `npm run docs`).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { approveSignal } from '../../src/workflows/definitions';
import { cliOn } from '../support/cli';
import { docsOutput } from '../support/docs-output';
import { eventually } from '../support/eventually';
import { startTestWorker, uniqueId, type TestWorker } from '../support/plan-worker';
import { planInTerminal } from '../support/terminal';
import { terminalSvg } from '../support/terminal-svg';

jest.setTimeout(90_000);

let env: TestWorker;
beforeAll(async () => {
  env = await startTestWorker(undefined, {
    toolSettings: { shell: { allow: ['node *'], envAllow: [], env: { PATH: process.env.PATH! } } },
  });
});
const afterAllReleases: string[] = [];
afterAll(async () => {
  for (const release of afterAllReleases) writeFileSync(release, '');
  await env?.stop();
});

const STEPS = ['git_checkout', 'npm_install', 'npm_build', 'npm_lint', 'npm_test', 'deploy'];
const TIME = '\\d\\d:\\d\\d:\\d\\d';

/**
 * examples/cicd.yaml, whose tests run until the test says so (a file appears), so that the pictures catch the run
 * with steps completed, running and still to come.
 */
function cicdHeldAtTests(release: string) {
  const plan = parse(readFileSync(join(__dirname, '..', '..', 'examples', 'cicd.yaml'), 'utf8')) as {
    steps: Record<string, unknown>[];
  };
  const waitForFile = `const f = process.argv[1]; const t = setInterval(() => require('fs').existsSync(f) && clearInterval(t), 50)`;
  return {
    ...plan,
    id: uniqueId('cicd'),
    steps: plan.steps.map((step) =>
      step.id === 'npm_test'
        ? {
            ...step,
            toolName: 'shell',
            timeoutMs: 120_000,
            parameters: { command: 'node', args: ['-e', waitForFile, release] },
          }
        : step,
    ),
  };
}

/** The rows of a frame that show a step, as "id status". */
const stepRows = (lines: string[]) =>
  lines
    .filter((line) => STEPS.some((id) => line.startsWith(`${id} `)))
    .map((line) => line.split(/\s+/).slice(0, 2).join(' '));

test('plan watch redraws in place on a terminal, and plan graph --format svg colours the same run by status', async () => {
  const release = join(mkdtempSync(join(tmpdir(), 'cli-watch-')), 'release');
  // Whatever fails, the tests step ends, so the plan and the watch do too.
  afterAllReleases.push(release);
  const handle = await env.start(cicdHeldAtTests(release));
  const planId = handle.workflowId;
  const prompt = `$ plan watch ${planId}`;
  const watch = planInTerminal(['watch', planId], {
    columns: 80,
    rows: 24,
    before: `${prompt}\r\n`,
    env: { PLAN_TASK_QUEUE: env.taskQueue },
  });

  await eventually(
    async () => (await watch.screen()).includes(`Plan ${planId}: pending_approval — CI/CD pipeline`),
    () => `the live view to show the plan waiting for approval; the screen:\n${watch.output()}`,
  );
  await handle.signal(approveSignal, { by: 'alice' });
  await eventually(
    async () => {
      const rows = stepRows(await watch.screen());
      return rows.includes('npm_test running') && rows.includes('npm_lint completed');
    },
    () => `the live view to show npm_test running and npm_lint completed; the screen:\n${watch.output()}`,
  );

  // One frame, under the prompt: the plan, its progress bar, the header, each step once with its status.
  const during = await watch.screen();
  expect(during[0]).toBe(prompt);
  expect(during[1]).toBe(`Plan ${planId}: executing — CI/CD pipeline`);
  expect(during[2]).toMatch(/^\[#{20}-{10}\] 4\/6 {2}\d/);
  expect(during[3]).toMatch(/^STEP\s+STATUS\s+ATTEMPTS\s+DURATION\s+ERROR$/);
  expect(stepRows(during)).toEqual([
    'git_checkout completed',
    'npm_install completed',
    'npm_build completed',
    'npm_lint completed',
    'npm_test running',
    'deploy pending',
  ]);
  expect(during).toHaveLength(10);
  // In colour: the statuses' SGR codes reached the terminal.
  expect(watch.output()).toContain('\x1b[32mcompleted\x1b[0m');
  expect(watch.output()).toContain('\x1b[36mrunning\x1b[0m');
  writeFileSync(docsOutput('images/plan-watch.svg'), terminalSvg(watch.term, `plan watch ${planId}`));

  const graph = await cliOn(env.taskQueue)(['graph', planId, '--format', 'svg']);
  expect({ code: graph.code, stderr: graph.stderr }).toEqual({ code: 0, stderr: '' });
  expect(graph.stdout).toMatch(/^<\?xml[^]*<svg [^]*<\/svg>\n$/);
  for (const id of STEPS) expect(graph.stdout).toContain(`>${id}</text>`);
  // Each step's box is filled with its status's colour: 4 completed, 1 running, 1 pending.
  const fills = (colour: string) => graph.stdout.split(`fill="${colour}"`).length - 1;
  expect([fills('#b7ebb7'), fills('#b3d9ff'), fills('#eeeeee')]).toEqual([4, 1, 1]);
  expect(graph.stdout).toContain('>running</text>');
  writeFileSync(docsOutput('images/plan-graph.svg'), graph.stdout);

  writeFileSync(release, '');
  expect(await watch.exited).toBe(0);
  // The last frame replaced every earlier one: nothing stale above or below it, no row wrapped.
  const after = await watch.screen();
  expect(after[0]).toBe(prompt);
  expect(after[1]).toBe(`Plan ${planId}: completed — CI/CD pipeline`);
  expect(after[2]).toMatch(/^\[#{30}\] 6\/6 {2}\d/);
  expect(stepRows(after)).toEqual(STEPS.map((id) => `${id} completed`));
  expect(after).toHaveLength(10);
  const buffer = watch.term.buffer.active;
  for (let i = 0; i < buffer.length; i++) expect(buffer.getLine(i)!.isWrapped).toBe(false);

  // The same command on a terminal that cannot move its cursor: plain lines, no escape codes.
  const dumb = planInTerminal(['watch', planId], {
    columns: 80,
    rows: 24,
    env: { PLAN_TASK_QUEUE: env.taskQueue, TERM: 'dumb' },
  });
  expect(await dumb.exited).toBe(0);
  expect(dumb.output()).not.toContain('\x1b');
  const lines = dumb.output().trimEnd().split('\r\n');
  for (const line of lines)
    expect(line).toMatch(new RegExp(`^${TIME} (step \\w+ completed|plan ${planId} completed .*)$`));
  expect(lines.at(-1)).toMatch(new RegExp(`^${TIME} plan ${planId} completed  \\[#{20}\\] 6/6$`));
});
