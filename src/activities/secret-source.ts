/**
 * Where a worker finds the values of `{{secrets.NAME}}`: its PLAN_SECRET_<NAME> variables, then the JSON object in
 * PLAN_SECRETS_FILE (read at each look-up, so a rotated file needs no restart). Errors name the secret, never a value.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { readBoundedFile } from '../files/read-bounded-file';
import { UNKNOWN_SECRET } from '../plan/error-types';

// A secrets file is a handful of names and values; anything larger is a wrong path (or a device), not secrets.
const MAX_SECRETS_FILE_BYTES = 1024 * 1024;

/** Gives a secret's value, or throws an UnknownSecret failure naming it. */
export type SecretSource = (name: string) => string;

/** A source of no secrets: every reference is unknown. */
export const NO_SECRETS: SecretSource = createSecretSource({ values: {}, file: null });

/** The worker's secrets: `values` (from PLAN_SECRET_* variables) first, then the file. */
export function createSecretSource(settings: { values: Record<string, string>; file: string | null }): SecretSource {
  return (name) => {
    if (Object.hasOwn(settings.values, name)) return settings.values[name]!;
    const fromFile = settings.file === null ? undefined : readSecretsFile(settings.file)[name];
    if (typeof fromFile === 'string') return fromFile;
    throw ApplicationFailure.nonRetryable(
      `unknown secret "${name}": give the worker PLAN_SECRET_${name}` +
        (settings.file === null ? ' (or a PLAN_SECRETS_FILE holding it)' : ` or add it to ${settings.file}`),
      UNKNOWN_SECRET,
    );
  };
}

function readSecretsFile(path: string): Record<string, unknown> {
  const read = readBoundedFile(path, MAX_SECRETS_FILE_BYTES);
  if ('refusal' in read) {
    throw ApplicationFailure.nonRetryable(`PLAN_SECRETS_FILE ${path} cannot be read (${read.refusal})`, UNKNOWN_SECRET);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(read.text);
  } catch {
    // The parser's message may quote the file's text; only the kind of problem is said.
    throw ApplicationFailure.nonRetryable(`PLAN_SECRETS_FILE ${path} cannot be read (not JSON)`, UNKNOWN_SECRET);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw ApplicationFailure.nonRetryable(
      `PLAN_SECRETS_FILE ${path} must hold a JSON object of name -> value`,
      UNKNOWN_SECRET,
    );
  }
  return parsed as Record<string, unknown>;
}
