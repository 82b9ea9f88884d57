import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { attemptSignal } from '../attempt-signal';
import { heartbeatWhile, WAITING_TOOL_HEARTBEAT_TIMEOUT_MS } from '../heartbeat-while';
import { defineTool } from '../tool';
import { runProcess, type ProcessOutcome } from './run-process';
import { SHELL_EXIT_ERROR, SHELL_NOT_ALLOWED, SHELL_SPAWN_ERROR, SHELL_TIMEOUT } from '../../plan/error-types';

const KIB = 1024;
// Enough to find an error in, small enough for Temporal's history.
const MAX_OUTPUT_BYTES = 512 * KIB;
const STDERR_IN_MESSAGE = 2000;
// PATH and the loader's variables would let a step swap the executable an allowed name stands for.
const LOCKED_ENV = /^(PATH|LD_\w*|DYLD_\w*)$/;
const NOT_STARTABLE = new Set(['ENOENT', 'EACCES', 'ENOTDIR', 'EPERM']);

const envMap = z.record(
  z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name')
    .refine((name) => !LOCKED_ENV.test(name), 'PATH, LD_* and DYLD_* come from the worker'),
  z.string(),
);

/** Runs an allowlisted executable, without a shell, capturing the tail of its output. */
export const shell = defineTool({
  name: 'shell',
  description:
    "Runs an executable listed in the worker's PLAN_SHELL_ALLOW with arguments, without a shell (no expansion or " +
    'interpolation). Returns { exitCode, stdout, stderr, durationMs, stdoutTruncated, stderrTruncated }, keeping ' +
    'the last maxOutputBytes of each. Non-zero exit fails with ShellExitError; a timeout or cancellation stops the ' +
    'process group.',
  parameters: z.object({
    command: z.string().min(1).describe('an executable name or absolute path, exactly as PLAN_SHELL_ALLOW lists it'),
    args: z.array(z.string()).default([]),
    cwd: z.string().min(1).optional(),
    env: envMap.optional().describe('added to a minimal environment (PATH, HOME, LANG, TZ, TMPDIR, USER)'),
    secretEnv: envMap.optional().describe('like env; the values never appear in results, errors or the plan mirror'),
    timeoutMs: z.number().int().min(1).optional().describe('default: the step timeout'),
    maxOutputBytes: z
      .number()
      .int()
      .min(1)
      .max(MAX_OUTPUT_BYTES)
      .default(64 * KIB)
      .describe('per stream; the tail is kept'),
  }),
  risk: 'destructive',
  secretParams: ['secretEnv'],
  heartbeatTimeoutMs: WAITING_TOOL_HEARTBEAT_TIMEOUT_MS,
  run: async (p, context) => {
    const { allow } = context.shell;
    if (!allow.includes(p.command)) {
      const allowed = allow.length > 0 ? `lists only ${allow.join(', ')}` : 'is empty';
      throw ApplicationFailure.nonRetryable(
        `shell may not run "${p.command}": the worker's PLAN_SHELL_ALLOW ${allowed}; add it there (comma-separated names or absolute paths)`,
        SHELL_NOT_ALLOWED,
      );
    }
    const limit = attemptSignal(context, p.timeoutMs);
    const outcome = await heartbeatWhile(
      context.heartbeat,
      runProcess({
        command: p.command,
        args: p.args,
        cwd: p.cwd,
        env: { ...context.shell.env, ...p.env, ...p.secretEnv },
        maxOutputBytes: p.maxOutputBytes,
        signal: limit.signal,
      }).catch((err: NodeJS.ErrnoException) => {
        throw ApplicationFailure.create({
          message: `cannot start "${p.command}"${p.cwd ? ` in ${p.cwd}` : ''}: ${err.code ?? err.message}`,
          type: SHELL_SPAWN_ERROR,
          nonRetryable: NOT_STARTABLE.has(err.code ?? ''),
        });
      }),
    );
    if (outcome.stopped) {
      if (context.signal.aborted) throw context.signal.reason;
      throw ApplicationFailure.retryable(`${p.command} ran past ${limit.limitMs} ms and was stopped`, SHELL_TIMEOUT);
    }
    if (outcome.exitCode !== 0) throw exitFailure(p.command, outcome);
    const { exitCode, stdout, stderr, durationMs, stdoutTruncated, stderrTruncated } = outcome;
    return { exitCode, stdout, stderr, durationMs, stdoutTruncated, stderrTruncated };
  },
});

function exitFailure(command: string, outcome: ProcessOutcome): ApplicationFailure {
  const how = outcome.exitCode === null ? `was killed by ${outcome.signal}` : `exited with code ${outcome.exitCode}`;
  const tail = outcome.stderr.trimEnd().slice(-STDERR_IN_MESSAGE);
  return ApplicationFailure.create({
    message: `${command} ${how}${tail ? `: ${tail}` : ''}`,
    type: SHELL_EXIT_ERROR,
    details: [{ exitCode: outcome.exitCode, signal: outcome.signal, stdout: outcome.stdout, stderr: outcome.stderr }],
  });
}
