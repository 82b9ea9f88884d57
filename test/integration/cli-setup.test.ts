/**
 * A team's own namespace starts bare: `plan start` there fails, and says the cause and the command that fixes it;
 * `plan setup` prepares it (idempotently) and then plans start.
 */
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { cli } from '../support/cli';
import { eventually } from '../support/eventually';
import { uniqueId } from '../support/plan-worker';
import { testStack } from '../support/test-stack';

jest.setTimeout(120_000);

const namespace = uniqueId('bare-ns');

beforeAll(async () => {
  const connection = await Connection.connect({ address: testStack().temporalAddress });
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
  } finally {
    await connection.close();
  }
});

const start = (id: string) => cli(['start', 'examples/hello.yaml', '--id', id, '--namespace', namespace]);

test('plan start on a bare namespace names the missing search attribute and plan setup; after setup it starts', async () => {
  // A new namespace takes a moment to reach the frontend's cache; until then the answer is "not found".
  let refused = await start(uniqueId('before-setup'));
  await eventually(async () => {
    refused = await start(uniqueId('before-setup'));
    return /search attribute/i.test(refused.stderr);
  }, 'the namespace known to the frontend');
  expect(refused.code).toBe(1);
  // The server names the first unregistered attribute it meets, in no fixed order.
  expect(refused.stderr).toMatch(/PlanStatus|PlanPendingApproval/);
  expect(refused.stderr).toContain('run `plan setup` to register the search attributes');

  const setup = await cli(['setup', '--namespace', namespace]);
  expect(setup).toMatchObject({ code: 0, stderr: '' });
  expect(setup.stdout).toContain(
    `registered search attributes PlanStatus, PlanPendingApproval on namespace ${namespace}`,
  );
  expect(setup.stdout).toContain('created the shared-memory sweep Schedule');
  expect(setup.stdout).toMatch(/PostgreSQL (schema up to date|migrations)/);

  const id = uniqueId('after-setup');
  await eventually(async () => (await start(id)).code === 0, 'plan start after plan setup');

  const again = await cli(['setup', '--namespace', namespace]);
  expect(again.code).toBe(0);
  expect(again.stdout).toContain(`already on namespace ${namespace}`);
  expect(again.stdout).toContain('kept the shared-memory sweep Schedule');
});

test('plan migrate applies what is pending and says when nothing is', async () => {
  const { code, stdout } = await cli(['migrate']);
  expect(code).toBe(0);
  expect(stdout).toBe('PostgreSQL schema up to date\n');
});
