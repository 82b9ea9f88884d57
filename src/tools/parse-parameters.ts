import type { z } from 'zod';
import { unknownParameter, type ParameterIssue } from '../plan';
import { objectShape } from './object-schema';

export type ParsedParameters = { success: true; data: unknown } | { success: false; issues: ParameterIssue[] };

/**
 * Parses a call's parameters with a tool's schema, and refuses every top-level key an object schema does not name
 * (zod would drop it silently), each on its own with the likeliest intended key. Plans are checked with it before
 * they start, and each call again when it runs (an operator's retry may bring new parameters).
 */
export function parseParameters(schema: z.ZodType, parameters: Record<string, unknown>): ParsedParameters {
  const shape = objectShape(schema);
  const unknown = shape?.closed ? Object.keys(parameters).filter((key) => !shape.keys.includes(key)) : [];
  const parsed = schema.safeParse(parameters);
  const issues: ParameterIssue[] = [
    // A strict schema's own complaint about unknown keys is replaced by one issue per key, with suggestions.
    ...(parsed.error?.issues ?? [])
      .filter((issue) => !(issue.code === 'unrecognized_keys' && issue.path.length === 0))
      .map((issue) => ({ path: issue.path as (string | number)[], message: issue.message })),
    ...unknown.map((key) => unknownParameter(key, shape!.keys)),
  ];
  return parsed.success && issues.length === 0 ? { success: true, data: parsed.data } : { success: false, issues };
}
