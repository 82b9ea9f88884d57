/**
 * Keeps step results over the inline limit out of workflow history, and gives activities the real values back.
 * The workflow only ever sees markers (src/plan/stored-result.ts) for such results.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Pool } from 'pg';
import {
  asText,
  followPath,
  INTERPOLATION,
  isInterpolation,
  isStoredResult,
  ReferenceResolutionError,
  STORED_RESULT,
  type StoredResultMarker,
  type StoredResultRef,
} from '../plan';
import { isFields } from '../plan';
import { loadResults, storeResult } from '../store/stored-results';
import { describeRefusal, isDataRefusal } from '../store/data-refusal';
import { MIRROR_DATA_ERROR, STORED_RESULT_MISSING } from '../plan/error-types';

/** Results whose JSON is larger than this many bytes are stored in PostgreSQL (Temporal's payload limit is 2 MB). */
export const DEFAULT_RESULT_INLINE_LIMIT = 64 * 1024;

export class ResultStore {
  constructor(
    private readonly pool: Pool,
    readonly inlineLimitBytes: number = DEFAULT_RESULT_INLINE_LIMIT,
  ) {}

  /** The result itself when it is small, else a marker for it after storing it. */
  async keep(planId: string, stepId: string, result: unknown): Promise<unknown> {
    const json = JSON.stringify(result ?? null);
    const bytes = Buffer.byteLength(json);
    if (bytes <= this.inlineLimitBytes) return result;
    let sha256: string;
    try {
      sha256 = await storeResult(this.pool, planId, stepId, result ?? null, json);
    } catch (err) {
      // Retrying until the step's deadline cannot make PostgreSQL take the same value.
      if (!isDataRefusal(err)) throw err;
      throw ApplicationFailure.nonRetryable(
        `PostgreSQL refused the result of step "${stepId}" (${bytes} bytes): ${describeRefusal(err)}`,
        MIRROR_DATA_ERROR,
      );
    }
    return { [STORED_RESULT]: { planId, stepId, sha256, bytes, path: [] } } satisfies StoredResultMarker;
  }

  /** Replaces every marker inside `value` with the value it stands for, and joins interpolations. */
  async dereference<T>(value: T): Promise<T> {
    const refs: StoredResultRef[] = [];
    collect(value, refs);
    if (refs.length === 0) return value;
    const found = await loadResults(this.pool, refs);
    return substitute(value, (ref) => {
      const key = `${ref.planId}/${ref.sha256}`;
      if (!found.has(key)) {
        throw ApplicationFailure.nonRetryable(
          `the stored result of step "${ref.stepId}" (plan "${ref.planId}", sha256 ${ref.sha256}) is missing from PostgreSQL`,
          STORED_RESULT_MISSING,
        );
      }
      try {
        return followPath(
          found.get(key),
          ref.path,
          `{{steps.${ref.stepId}.result${ref.path.map((p) => `.${p}`).join('')}}}`,
          ref.stepId,
        );
      } catch (err) {
        if (err instanceof ReferenceResolutionError) throw ApplicationFailure.nonRetryable(err.message, err.name);
        throw err;
      }
    }) as T;
  }
}

function collect(value: unknown, into: StoredResultRef[]): void {
  if (isStoredResult(value)) into.push(value[STORED_RESULT]);
  else if (Array.isArray(value)) for (const item of value) collect(item, into);
  else if (isFields(value)) for (const item of Object.values(value)) collect(item, into);
}

function substitute(value: unknown, valueOf: (ref: StoredResultRef) => unknown): unknown {
  if (isStoredResult(value)) return valueOf(value[STORED_RESULT]);
  if (isInterpolation(value)) return value[INTERPOLATION].map((part) => asText(substitute(part, valueOf))).join('');
  if (Array.isArray(value)) return value.map((item) => substitute(item, valueOf));
  if (isFields(value))
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, valueOf)]));
  return value;
}
