/**
 * The command line's exit codes, one meaning each: 0 success; 1 the plan ended badly or a decision was refused;
 * 2 bad input or usage; 3 Temporal or PostgreSQL unreachable.
 */
export const EXIT = { ok: 0, planEndedBadly: 1, usage: 2, unreachable: 3 } as const;

/** An error the user caused or must act on: printed as its message alone (no stack unless --verbose). */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError(message, EXIT.usage);
export const refused = (message: string) => new CliError(message, EXIT.planEndedBadly);
