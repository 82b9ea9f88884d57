import { formatProblem, type Problem } from '../plan';

/**
 * The command line's exit codes, one meaning each: 0 success; 1 the plan ended badly or a decision was refused;
 * 2 bad input or usage; 3 Temporal or PostgreSQL unreachable.
 */
export const EXIT = { ok: 0, planEndedBadly: 1, usage: 2, unreachable: 3 } as const;

/**
 * What went wrong, for scripts (the `type` of `--json`'s error object): `usage` (a wrong command, option or
 * argument), `no_such_file`, `invalid_plan` (with its problems), `not_found` (no such plan), `refused` (a decision or
 * an operation the plan refused), `unreachable` (Temporal or PostgreSQL), `failed` (anything else).
 */
export type CliErrorType =
  'usage' | 'no_such_file' | 'invalid_plan' | 'not_found' | 'refused' | 'unreachable' | 'failed';

const TYPE_OF_EXIT: Record<number, CliErrorType> = {
  [EXIT.planEndedBadly]: 'failed',
  [EXIT.usage]: 'usage',
  [EXIT.unreachable]: 'unreachable',
};

/** An error the user caused or must act on: printed as its message alone (no stack unless --verbose). */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number,
    readonly type: CliErrorType = TYPE_OF_EXIT[exitCode] ?? 'failed',
    /** An invalid plan's problems, each on its own, for --json. */
    readonly problems: readonly Problem[] = [],
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError(message, EXIT.usage);
export const refused = (message: string) => new CliError(message, EXIT.planEndedBadly, 'refused');
export const noSuchFile = (path: string) => new CliError(`no such file: ${path}`, EXIT.usage, 'no_such_file');
/** A plan file (or input) that is not a valid plan: the heading if any, then every problem on its own line. */
export const invalidPlan = (problems: readonly Problem[], heading?: string) =>
  new CliError(
    [...(heading === undefined ? [] : [heading]), ...problems.map(formatProblem)].join('\n'),
    EXIT.usage,
    'invalid_plan',
    problems,
  );
