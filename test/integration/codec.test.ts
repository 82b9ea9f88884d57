/**
 * With PLAN_CODEC_KEYS, what Temporal stores is ciphertext: `temporal workflow show` without the codec server sees no
 * secret parameter and no result, through `plan codec-server` it sees them decoded; rotated keys still decrypt old
 * plans; the recorded histories (written without a codec) still replay.
 */
import { randomBytes } from 'node:crypto';
import { UNTRACED_SINKS } from '../../src/telemetry/tracing';
import { join } from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { z } from 'zod';
import { codecDataConverter, type CodecKey } from '../../src/codec';
import { BUILTIN_TOOLS, defineTool, ToolRegistry } from '../../src/tools';
import { runNode, type RunningChild } from '../support/child';
import { startTestWorker, type TestWorker } from '../support/plan-worker';
import { workflowShow } from '../support/temporal-cli';
import { testStack } from '../support/test-stack';

const k0: CodecKey = { id: 'k0', key: randomBytes(32) };
const k1: CodecKey = { id: 'k1', key: randomBytes(32) };
const keyList = (keys: CodecKey[]) => keys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(',');
const PASSWORD = `pw-${randomBytes(6).toString('hex')}`;
const MARK = `result-mark-${randomBytes(6).toString('hex')}`;

const login = defineTool({
  name: 'login',
  description: 'Logs in; echoes the password, as careless servers do.',
  parameters: z.object({ user: z.string(), password: z.string() }),
  secretParams: ['password'],
  risk: 'read',
  run: async ({ user, password }) => ({ greeting: `hello ${user} ${MARK}`, echoed: password }),
});

let current: TestWorker;
let codecServer: RunningChild;
let codecUrl: string;

beforeAll(async () => {
  current = await startTestWorker(new ToolRegistry([...BUILTIN_TOOLS, login]), {
    dataConverter: codecDataConverter([k1, k0]),
  });
  // The command an operator runs, on a free port.
  codecServer = runNode([join('scripts', 'plan.js'), 'codec-server', '--port', '0'], {
    PLAN_CODEC_KEYS: keyList([k1, k0]),
  });
  codecUrl = /codec server on (http:\/\/\S+)/.exec(await codecServer.waitFor(/codec server on http/, 30_000))![1]!;
});

afterAll(async () => {
  codecServer?.child.kill('SIGINT');
  await codecServer?.exited;
  await current?.stop();
});

async function mirrorText(planId: string): Promise<string> {
  const rows = await current.pool.query(
    `SELECT (SELECT json_agg(t) FROM task_plans t WHERE plan_id = $1) AS steps,
            (SELECT json_agg(p) FROM plan_progress p WHERE plan_id = $1) AS plan`,
    [planId],
  );
  return JSON.stringify(rows.rows);
}

test('history holds neither the secret parameter nor the results in clear; the codec server shows them', async () => {
  const handle = await current.start({
    steps: [
      { id: 'in', toolName: 'login', parameters: { user: 'ada', password: PASSWORD } },
      { id: 'out', toolName: 'echo', dependsOn: ['in'], parameters: { said: '{{steps.in.result.greeting}}' } },
    ],
  });
  const state = await handle.result();
  expect(state.status).toBe('completed');
  expect(JSON.stringify(state)).toContain(MARK);

  const raw = await workflowShow(handle.workflowId);
  expect(raw).toContain('ACTIVITY_TASK_COMPLETED');
  for (const hidden of [PASSWORD, MARK, 'hello ada']) expect(raw).not.toContain(hidden);

  const decoded = await workflowShow(handle.workflowId, ['--codec-endpoint', codecUrl]);
  expect(decoded).toContain(MARK);
  // The tool echoed the password; its result was scrubbed before it was recorded.
  expect(decoded).toContain('[redacted]');

  const mirror = await mirrorText(handle.workflowId);
  expect(mirror).not.toContain(PASSWORD);
  expect(mirror).toContain('[redacted]');
});

test('after a rotation the new key encrypts and the old key still decrypts plans written before', async () => {
  const before = await startTestWorker(new ToolRegistry([...BUILTIN_TOOLS, login]), {
    dataConverter: codecDataConverter([k0]),
  });
  try {
    const old = await before.start({ steps: [{ id: 'a', toolName: 'echo', parameters: { said: MARK } }] });
    await old.result();
    // Read by the rotated client: decrypted with k0.
    const read = await current.client.workflow.getHandle(old.workflowId).result();
    expect(JSON.stringify(read)).toContain(MARK);
  } finally {
    await before.stop();
  }
  const fresh = await current.start({ steps: [{ id: 'a', toolName: 'echo', parameters: { said: MARK } }] });
  await fresh.result();
  // The stored payload, as the server has it (a client without the codec does not decrypt).
  const connection = await Connection.connect({ address: testStack().temporalAddress });
  try {
    const history = await new Client({ connection }).workflow.getHandle(fresh.workflowId).fetchHistory();
    const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    expect(Buffer.from(input.metadata!['encryption-key-id']!).toString()).toBe('k1');
    expect(Buffer.from(input.data!).toString('latin1')).not.toContain(MARK);
  } finally {
    await connection.close();
  }
});

test('the recorded histories, written without a codec, replay through it', async () => {
  const dir = join(__dirname, '..', 'histories');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const history = historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    const workflowId = `history-${file.replace(/(-\d+)?\.json$/, '')}`;
    await Worker.runReplayHistory(
      {
        workflowBundle: { codePath: testStack().workflowBundlePath },
        dataConverter: codecDataConverter([k1]),
        sinks: UNTRACED_SINKS, // the bundle's tracing interceptors export spans through a sink, even replaying
      },
      history,
      workflowId,
    );
  }
});
