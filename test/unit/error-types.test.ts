/** The "Error types" table of docs/plans.md is the user's copy of the one list in src/plan/error-types.ts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_TYPES } from '../../src/plan/error-types';

// Temporal's own timeout types, which the table lists because plans meet them; they are not ours to define.
const TEMPORAL_TYPES = ['StartToCloseTimeout', 'HeartbeatTimeout'];

function documentedTypes(): string[] {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'plans.md'), 'utf8');
  const section = doc.split(/^## Error types$/m)[1]?.split(/^## /m)[0] ?? '';
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  return rows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1]!));
}

test('every error type is in the table of docs/plans.md, and the table names no other', () => {
  const documented = documentedTypes();
  expect(new Set(documented).size).toBe(documented.length);
  expect([...documented].sort()).toEqual([...ERROR_TYPES, ...TEMPORAL_TYPES].sort());
});

test('error types are unique', () => {
  expect(new Set(ERROR_TYPES).size).toBe(ERROR_TYPES.length);
});
