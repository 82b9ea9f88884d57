/**
 * Determinism: today's workflow code replayed over histories recorded from representative plans (approval, saga with
 * retries and compensation, sub-plans with fan-in, every run of a plan that continued as new, local steps). A change
 * that would break plans already running — a command added, removed or reordered without `patched()` — fails here.
 * Record new ones with `npm run record-histories`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { testStack } from '../support/test-stack';

const dir = join(__dirname, '..', 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

beforeAll(() => {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
});

test('there are recorded histories of an approval, a saga, sub-plans, a continue-as-new and local steps', () => {
  expect(files).toEqual(
    expect.arrayContaining([
      'approval.json',
      'saga.json',
      'subplan.json',
      'continue-as-new-1.json',
      'continue-as-new-2.json',
      'local.json',
    ]),
  );
});

test.each(files)('%s replays without a determinism violation', async (file) => {
  const history = historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8')));
  // record.ts starts each plan as `history-<name>` (a plan's runs are `<name>-1.json`, `<name>-2.json`, ...); child
  // workflow ids derive from it, so the replay needs it.
  const workflowId = `history-${file.replace(/(-\d+)?\.json$/, '')}`;
  await Worker.runReplayHistory({ workflowBundle: { codePath: testStack().workflowBundlePath } }, history, workflowId);
});
