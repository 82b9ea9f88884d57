/** Parameter schemas and failure mapping the four memory tools share. */
import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { parseNamespace, parseNamespacePrefix, type MemoryNamespace, type MemoryNamespacePrefix } from '../../plan';
import { utf8Length } from '../../plan/utf8-length';
import {
  MAX_KEY_BYTES,
  MAX_LIST_BYTES,
  MAX_LIST_LIMIT,
  MAX_TTL_SECONDS,
  MemoryConflictError,
  MemoryInputError,
} from '../../store/shared-memory';
import type { StepMemory } from '../step-memory';
import { MEMORY_CONFLICT, MEMORY_INPUT_ERROR } from '../../plan/error-types';

// Checked here (not transformed) so the schema still converts to JSON Schema for the planner; run() parses again.
export const namespaceParameter = z
  .string()
  .superRefine((path, ctx) => {
    const parsed = parseNamespace(path);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  })
  .describe("project/environment/agent_type/session_id; default: the plan's memory namespace")
  .optional();

export const namespacePrefixParameter = z
  .string()
  .superRefine((path, ctx) => {
    const parsed = parseNamespacePrefix(path);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
    else if (Object.keys(parsed).length === 0)
      ctx.addIssue({ code: 'custom', message: 'namespace prefix must name at least a project' });
  })
  .describe("a leading part of project/environment/agent_type/session_id; default: the plan's memory namespace")
  .optional();

export const keyParameter = z
  .string()
  .min(1, 'key must not be empty')
  .refine((key) => utf8Length(key) <= MAX_KEY_BYTES, `key must be at most ${MAX_KEY_BYTES} bytes in UTF-8`);

export const ttlParameter = z.number().int().min(1).max(MAX_TTL_SECONDS).optional();

export const expectedVersionParameter = z
  .number()
  .int()
  .min(0)
  .describe('compare-and-set: 0 = the key must not exist, N = its current version must be N')
  .optional();

export const limitParameter = z.number().int().min(1).max(MAX_LIST_LIMIT).optional();

/** What `memory_list` returns at most, in bytes of keys and values as JSON text: it stays a small step result. */
export const DEFAULT_LIST_BYTES = 1024 * 1024;

export const maxBytesParameter = z
  .number()
  .int()
  .min(1)
  .max(MAX_LIST_BYTES)
  .describe(`stop before keys and values pass this many bytes (default ${DEFAULT_LIST_BYTES})`)
  .optional();

/**
 * The step's memory in the namespace a call names (MemoryAccessDenied unless its plan may reach it), or in its own;
 * the schema has already refused a malformed path.
 */
export function memoryIn(path: string | undefined, memory: StepMemory): StepMemory {
  if (path === undefined) return memory;
  const parsed = parseNamespace(path);
  if (typeof parsed === 'string') throw ApplicationFailure.nonRetryable(parsed, MEMORY_INPUT_ERROR);
  return memory.withNamespace(parsed);
}

/** The prefix a call names, or the step's whole default namespace. */
export function prefixOf(path: string | undefined, fallback: MemoryNamespace): MemoryNamespacePrefix {
  if (path === undefined) return fallback;
  const parsed = parseNamespacePrefix(path);
  if (typeof parsed === 'string') throw ApplicationFailure.nonRetryable(parsed, MEMORY_INPUT_ERROR);
  return parsed;
}

/** Runs a store call, turning its permanent errors into non-retryable failures with a type the plan can branch on. */
export async function permanentFailures<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof MemoryConflictError) {
      throw ApplicationFailure.create({
        message: err.message,
        type: MEMORY_CONFLICT,
        nonRetryable: true,
        details: [{ expectedVersion: err.expectedVersion, currentVersion: err.currentVersion }],
      });
    }
    if (err instanceof MemoryInputError) throw ApplicationFailure.nonRetryable(err.message, MEMORY_INPUT_ERROR);
    throw err; // connection trouble and the like: Temporal's retry policy decides
  }
}
