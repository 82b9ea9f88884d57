/**
 * `plan replay-check`, the replay gate an operator runs before a deploy (and `npm test` runs over test/histories):
 * one line per history, exit 1 naming the history that would break and how; the open plans of a server too.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stateQuery } from '../../src/workflows/definitions';
import { cli, cliUntil } from '../support/cli';
import { eventually } from '../support/eventually';
import { startTestWorker, type TestWorker } from '../support/plan-worker';

jest.setTimeout(120_000);

const histories = join(__dirname, '..', 'histories');
let env: TestWorker;

beforeAll(async () => {
  env = await startTestWorker();
});

afterAll(async () => {
  await env?.stop();
});

test('a history the code no longer replays fails the check, naming it and the mismatch', async () => {
  // The approval plan as if an older version had scheduled another activity where today's code checks the tools.
  const history = JSON.parse(readFileSync(join(histories, 'approval.json'), 'utf8'));
  const scheduled = history.events.find((e: Record<string, unknown>) => e.activityTaskScheduledEventAttributes);
  scheduled.activityTaskScheduledEventAttributes.activityType.name = 'inspectTools';
  const broken = join(mkdtempSync(join(tmpdir(), 'replay-check-')), 'older-approval.json');
  writeFileSync(broken, JSON.stringify(history));

  const result = await cli(['replay-check', '--offline', broken, join(histories, 'saga.json')]);
  expect(result.code).toBe(1);
  expect(result.stdout).toContain(
    `FAIL  ${broken}: [TMPRL1100] Nondeterminism error: Activity type of scheduled event 'inspectTools' does not match activity type of activity command 'checkPlanTools'`,
  );
  expect(result.stdout).toContain(`ok    ${join(histories, 'saga.json')}`);
  expect(result.stderr).toMatch(/^1 of 2 histories does not replay with this code/);
});

test('with a server named, the open plans there are replayed too', async () => {
  const handle = await env.start({ options: { requireApproval: true }, steps: [{ id: 'a', toolName: 'echo' }] });
  await eventually(async () => (await handle.query(stateQuery)).status === 'pending_approval', 'the plan to wait');
  const result = await cliUntil(
    () => cli(['replay-check', '--query', `WorkflowId = "${handle.workflowId}"`]),
    (r) => r.stdout.includes(handle.workflowId),
  );
  expect(result).toMatchObject({ code: 0, stderr: '' });
  expect(result.stdout).toMatch(new RegExp(`^ok {4}plan ${handle.workflowId} \\(run [\\w-]+\\)$`, 'm'));
  expect(result.stdout).toContain('1 history replays with this code');
});

test('nothing to replay is a usage error', async () => {
  const result = await cli(['replay-check'], { env: { TEMPORAL_ADDRESS: undefined, TEMPORAL_PROFILE: undefined } });
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch('nothing to replay: name history files or folders, or a server');
});
