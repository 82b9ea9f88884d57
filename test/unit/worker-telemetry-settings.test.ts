/**
 * A worker's log lines as a collector or a person reads them, and the telemetry settings from the environment: what is
 * accepted, and what a mistake is told.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { LogEntry } from '@temporalio/worker';
import { loadConfig } from '../../src/config';
import { formatLogEntry } from '../../src/telemetry/log-format';

const TIME = BigInt(Date.parse('2026-11-28T12:00:00.000Z')) * 1_000_000n;
const entry = (meta?: LogEntry['meta']): LogEntry => ({
  level: 'WARN',
  message: 'step failed',
  timestampNanos: TIME,
  meta,
});

test('json: one object per line, time, level and message first, then the fields; errors keep their message and type', () => {
  const error = ApplicationFailure.create({ message: 'boom', type: 'FailToolError' });
  const line = formatLogEntry(entry({ planId: 'p-1', stepId: 'build', attempts: 2, error }), 'json');
  expect(line).not.toContain('\n');
  const parsed = JSON.parse(line);
  expect(Object.keys(parsed).slice(0, 3)).toEqual(['time', 'level', 'message']);
  expect(parsed).toMatchObject({
    time: '2026-11-28T12:00:00.000Z',
    level: 'warn',
    message: 'step failed',
    planId: 'p-1',
    stepId: 'build',
    attempts: 2,
    error: { message: 'boom', type: 'FailToolError', stack: expect.stringContaining('boom') },
  });
});

test('json: a field never hides the message, and a field that refers to itself still gives one line', () => {
  const loop: Record<string, unknown> = { name: 'loop' };
  loop.self = loop;
  const parsed = JSON.parse(formatLogEntry(entry({ message: 'not this', loop }), 'json'));
  expect(parsed.message).toBe('step failed');
  expect(parsed.loop).toEqual({ name: 'loop', self: '[seen]' });
});

test('pretty: time, level, message, then key=value, quoted only when needed; an error adds its stack below', () => {
  const error = new Error('no route to host');
  const text = formatLogEntry(entry({ planId: 'p-1', reason: 'step "a" failed', count: 3, error }), 'pretty');
  const [first, ...rest] = text.split('\n');
  expect(first).toBe(
    '2026-11-28T12:00:00.000Z WARN  step failed planId=p-1 reason="step \\"a\\" failed" count=3 error="no route to host"',
  );
  expect(rest[0]).toBe('    Error: no route to host');
});

test('LOG_LEVEL, LOG_FORMAT, PLAN_METRICS_ADDRESS and PLAN_HEALTH_*: defaults, accepted values, and mistakes named', () => {
  expect(loadConfig({})).toMatchObject({
    metricsAddress: null,
    log: { level: 'INFO', format: null },
    health: { port: null, host: '0.0.0.0' },
  });
  expect(
    loadConfig({
      LOG_LEVEL: 'Debug',
      LOG_FORMAT: 'JSON',
      PLAN_METRICS_ADDRESS: '[::]:9464',
      PLAN_HEALTH_PORT: '8080',
      PLAN_HEALTH_HOST: '127.0.0.1',
    }),
  ).toMatchObject({
    metricsAddress: '[::]:9464',
    log: { level: 'DEBUG', format: 'json' },
    health: { port: 8080, host: '127.0.0.1' },
  });
  expect(loadConfig({ PLAN_METRICS_ADDRESS: '0.0.0.0:9464' }).metricsAddress).toBe('0.0.0.0:9464');
  expect(loadConfig({ LOG_LEVEL: 'WARNING' }).log.level).toBe('WARN');
  expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(
    'LOG_LEVEL must be one of trace, debug, info, warn, error, got "verbose"',
  );
  expect(() => loadConfig({ LOG_FORMAT: 'text' })).toThrow('LOG_FORMAT must be json or pretty, got "text"');
  for (const address of ['localhost:9464', '9464', '127.0.0.1', '127.0.0.1:0', '::1:9464']) {
    expect(() => loadConfig({ PLAN_METRICS_ADDRESS: address })).toThrow(
      `PLAN_METRICS_ADDRESS must be an IP address and port to listen on, e.g. 127.0.0.1:9464 or 0.0.0.0:9464, got "${address}"`,
    );
  }
  expect(() => loadConfig({ PLAN_HEALTH_PORT: 'http' })).toThrow('PLAN_HEALTH_PORT must be a port number, got "http"');
});
