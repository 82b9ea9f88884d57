import { suggestion } from '../reading/closest-name';
import type { ParameterIssue } from './tool-catalog';

/** A top-level parameter the tool does not take, with the likeliest intended one: a typo is never dropped unseen. */
export function unknownParameter(key: string, known: readonly string[]): ParameterIssue {
  return { path: [key], message: `unknown parameter "${key}"${suggestion(key, known)}`, unknownKey: true };
}
