import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { attemptSignal } from '../attempt-signal';
import { heartbeatWhile, WAITING_TOOL_HEARTBEAT_TIMEOUT_MS } from '../heartbeat-while';
import { defineTool } from '../tool';
import { commandRefusal } from './command-shape';
import { envRefusal } from './env-allowlist';
import { killGraceMs, runProcess, type ProcessOutcome } from './run-process';
import { SHELL_EXIT_ERROR, SHELL_NOT_ALLOWED, SHELL_SPAWN_ERROR, SHELL_TIMEOUT } from '../../plan/error-types';

const KIB = 1024;
// Enough to find an error in, small enough for Temporal's history.
const MAX_OUTPUT_BYTES = 512 * KIB;
const STDERR_IN_MESSAGE = 2000;
const NOT_STARTABLE = new Set(['ENOENT', 'EACCES', 'ENOTDIR', 'EPERM']);

const envMap = z.record(
  z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name')
    // PATH decides which executable an allowed program name stands for; no configuration opens it.
    .refine((name) => name !== 'PATH', "PATH comes from the worker's environment"),
  z.string(),
);

/** Runs a command the worker allows, without a shell, capturing the tail of its output. */
export const shell = defineTool({
  name: 'shell',
  description:
    "Runs a command the worker's PLAN_SHELL_ALLOW allows (a program and literal arguments, a final * allowing " +
    'any others), without a shell (no expansion or interpolation); env and secretEnv may set only variables the ' +
    "worker's PLAN_SHELL_ENV_ALLOW names. Returns { exitCode, stdout, stderr, durationMs, stdoutTruncated, " +
    'stderrTruncated }, keeping the last maxOutputBytes of each. Non-zero exit fails with ShellExitError; a timeout ' +
    'or cancellation stops the command and everything it started.',
  parameters: z.object({
    command: z.string().min(1).describe('an executable name or absolute path, exactly as PLAN_SHELL_ALLOW lists it'),
    args: z.array(z.string()).default([]),
    cwd: z.string().min(1).optional(),
    env: envMap
      .optional()
      .describe('variables PLAN_SHELL_ENV_ALLOW names, added to a minimal environment (PATH, HOME, LANG, TZ, USER)'),
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
    const refusal =
      commandRefusal(context.shell.allow, p.command, p.args) ??
      envRefusal(context.shell.envAllow, [...Object.keys(p.env ?? {}), ...Object.keys(p.secretEnv ?? {})]);
    if (refusal !== null) throw ApplicationFailure.nonRetryable(refusal, SHELL_NOT_ALLOWED);
    // Stopping this much before the deadline leaves the grace between SIGTERM and SIGKILL inside the attempt.
    const limit = attemptSignal(
      { signal: context.signal, deadline: context.deadline - killGraceMs(context.deadline) },
      p.timeoutMs,
    );
    const outcome = await heartbeatWhile(
      context.heartbeat,
      runProcess({
        command: p.command,
        args: p.args,
        cwd: p.cwd,
        env: { ...context.shell.env, ...p.env, ...p.secretEnv },
        maxOutputBytes: p.maxOutputBytes,
        // Redacted before the output is cut, so a secret straddling the cut cannot leave half of itself behind.
        secrets: context.secrets,
        signal: limit.signal,
        deadline: context.deadline,
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
