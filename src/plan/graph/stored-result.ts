/**
 * A step result too large to travel through workflow history is kept in PostgreSQL (table stored_results); the
 * plan's state holds this marker in its place. Markers flow through references like any value and are replaced by
 * the stored value in the activity that needs it, so no payload ever carries the large value.
 */
import { isFields } from '../reading/fields';

/** The one key of a marker object. Chosen so no tool result or parameter is mistaken for one. */
export const STORED_RESULT = '$storedResult';

export interface StoredResultRef {
  planId: string;
  /** The step whose result it is (for people reading the state). */
  stepId: string;
  /** SHA-256 of the value's JSON: the row's key, so storing the same result twice is one row. */
  sha256: string;
  /** Size of the value's JSON in bytes. */
  bytes: number;
  /** Where inside the stored value the reference points (`{{steps.x.result.a.b}}` -> ["a", "b"]). */
  path: string[];
}

export interface StoredResultMarker {
  [STORED_RESULT]: StoredResultRef;
}

/**
 * Text with stored results written into it (`"Summarise: {{steps.fetch.result}}"` where fetch's result is stored):
 * the activity fetches the markers and joins the parts, strings as they are and other values as JSON.
 */
export const INTERPOLATION = '$interpolate';

export interface InterpolationMarker {
  [INTERPOLATION]: unknown[];
}

export function isStoredResult(value: unknown): value is StoredResultMarker {
  return isFields(value) && Object.keys(value).length === 1 && isFields(value[STORED_RESULT]);
}

export function isInterpolation(value: unknown): value is InterpolationMarker {
  return isFields(value) && Object.keys(value).length === 1 && Array.isArray(value[INTERPOLATION]);
}

/** The marker for a deeper place inside the same stored value. */
export function storedResultAt(marker: StoredResultMarker, path: readonly string[]): StoredResultMarker {
  const ref = marker[STORED_RESULT];
  return { [STORED_RESULT]: { ...ref, path: [...ref.path, ...path] } };
}

/** Writes a value into text the way references do: strings as they are, anything else as JSON. */
export function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
