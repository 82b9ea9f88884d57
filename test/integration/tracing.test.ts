/**
 * Tracing as an operator sees it in Jaeger or Tempo: `plan worker` and the `plan` command line with
 * OTEL_EXPORTER_OTLP_ENDPOINT set send their spans over OTLP/HTTP (here to a receiver in the test), and a plan started
 * from the shell, approved from the shell and run by the worker is one trace with the right parents.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { UNTRACED_SINKS } from '../../src/telemetry/tracing';
import { runNode } from '../support/child';
import { cli, planFiles } from '../support/cli';
import { eventually } from '../support/eventually';
import { uniqueId } from '../support/plan-worker';
import { testStack } from '../support/test-stack';

jest.setTimeout(120_000);

beforeAll(() => {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
});

interface Span {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  attributes: Record<string, unknown>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
}
interface OtlpKeyValue {
  key: string;
  value: OtlpValue;
}
interface OtlpRequest {
  resourceSpans: Array<{
    resource: { attributes: OtlpKeyValue[] };
    scopeSpans: Array<{
      spans: Array<{
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        attributes: OtlpKeyValue[];
      }>;
    }>;
  }>;
}

const attributes = (list: OtlpKeyValue[]): Record<string, unknown> =>
  Object.fromEntries(
    list.map(({ key, value }) => [
      key,
      value.stringValue ?? (value.intValue === undefined ? value.boolValue : Number(value.intValue)),
    ]),
  );

/** An OTLP/HTTP receiver taking the JSON the exporter sends to POST /v1/traces. */
async function startReceiver(): Promise<{ endpoint: string; spans: Span[]; close(): Promise<void> }> {
  const spans: Span[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces' || req.headers['content-type'] !== 'application/json') {
        res.writeHead(415).end();
        return;
      }
      for (const { resource, scopeSpans } of (JSON.parse(body) as OtlpRequest).resourceSpans) {
        const service = String(attributes(resource.attributes)['service.name']);
        for (const span of scopeSpans.flatMap((scope) => scope.spans)) {
          spans.push({
            service,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId || null,
            name: span.name,
            attributes: attributes(span.attributes),
          });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test('plan start → workflow → step attempts → plan approve: one trace, with the right parents, from worker and CLI', async () => {
  const { temporalAddress, databaseUrl, workflowBundlePath } = testStack();
  const receiver = await startReceiver();
  const connection = await Connection.connect({ address: temporalAddress });
  const taskQueue = uniqueId('tracing-queue');
  const env = {
    TEMPORAL_ADDRESS: temporalAddress,
    DATABASE_URL: databaseUrl,
    PLAN_TASK_QUEUE: taskQueue,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
  };
  const worker = runNode(['scripts/plan.js', 'worker'], env);
  try {
    await worker.waitFor(/worker polling task queue/);
    const planId = uniqueId('traced');
    const path = planFiles()(`${planId}.json`, {
      options: { requireApproval: true },
      steps: [
        { id: 'greet', toolName: 'echo', parameters: { greeting: 'hello' } },
        {
          id: 'flaky',
          toolName: 'fail',
          parameters: { failTimes: 1 },
          dependsOn: ['greet'],
          maxRetries: 2,
          retryDelayMs: 100,
        },
      ],
    });
    expect(await cli(['start', path, '--id', planId], { env })).toMatchObject({ code: 0, stderr: '' });
    expect(await cli(['approve', planId, '--by', 'alice'], { env })).toMatchObject({ code: 0, stderr: '' });
    const handle = new Client({ connection }).workflow.getHandle(planId);
    expect(await handle.result()).toMatchObject({ status: 'completed' });

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });

    const spans = receiver.spans;
    const named = (name: string) => spans.filter((span) => span.name === name);
    const described = () => `spans, got: ${spans.map((s) => `${s.service} ${s.name}`).join(', ')}`;
    await eventually(
      () => named('RunWorkflow:runPlan').length === 1 && named('HandleUpdate:decide').length === 1,
      () => `the workflow's ${described()}`,
    );
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const ancestors = (span: Span): Span[] => {
      const parent = span.parentSpanId === null ? undefined : byId.get(span.parentSpanId);
      return parent ? [parent, ...ancestors(parent)] : [];
    };

    // The plan's start, from the command line, is the root; the workflow's run is its child.
    const [start] = named('StartWorkflow:runPlan');
    expect(start).toMatchObject({ service: 'durable-plans-cli', parentSpanId: null });
    expect(start!.attributes).toMatchObject({ temporalWorkflowId: planId });
    const [run] = named('RunWorkflow:runPlan');
    expect(run).toMatchObject({ service: 'durable-plans-worker', parentSpanId: start!.spanId });

    // Each attempt of each step is a span under the workflow's, naming plan, step, tool and attempt.
    const attempts = spans
      .filter((span) => span.attributes['plan.id'] === planId)
      .map((span): Record<string, unknown> => ({
        name: span.name,
        ...span.attributes,
        underRun: ancestors(span).includes(run!),
      }));
    expect(attempts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'RunActivity:echo', 'step.id': 'greet', tool: 'echo', attempt: 1 }),
        expect.objectContaining({ name: 'RunActivity:fail', 'step.id': 'flaky', tool: 'fail', attempt: 1 }),
        expect.objectContaining({ name: 'RunActivity:fail', 'step.id': 'flaky', tool: 'fail', attempt: 2 }),
      ]),
    );
    expect(attempts).toHaveLength(3);
    expect(attempts.every((attempt) => attempt.underRun && attempt['step.purpose'] === 'step')).toBe(true);

    // `plan approve`, another process, joins the plan's trace; the workflow's handling is its child.
    const [decision] = named('StartWorkflowUpdate:decide');
    expect(decision).toMatchObject({ service: 'durable-plans-cli', parentSpanId: start!.spanId });
    expect(named('HandleUpdate:decide')[0]).toMatchObject({ parentSpanId: decision!.spanId });

    const traced = [start!, run!, decision!, ...spans.filter((span) => span.attributes['plan.id'] === planId)];
    expect(new Set(traced.map((span) => span.traceId))).toEqual(new Set([start!.traceId]));

    // A traced plan replays like any other: the interceptors add no commands.
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: workflowBundlePath }, sinks: UNTRACED_SINKS },
      await handle.fetchHistory(),
      planId,
    );
  } catch (err) {
    // What went wrong in the workflow shows in the worker's log.
    (err as Error).message += `\nworker output:\n${worker.output()}`;
    throw err;
  } finally {
    if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await worker.exited;
    await connection.close();
    await receiver.close();
  }
});
