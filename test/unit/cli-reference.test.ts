/**
 * docs/cli.md's reference is the commands' own help, generated: a new option, or a changed help line, must reach the
 * docs. `npm run docs` (PLAN_WRITE_DOCS=1) writes it; otherwise this test says it is stale.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliReference, REFERENCE_END, REFERENCE_START } from '../support/cli-reference';

const root = join(__dirname, '..', '..');
const file = join(root, 'docs', 'cli.md');

/** Prettier aligns the tables' columns; the words are what must agree. */
const words = (markdown: string) =>
  markdown
    .split('\n')
    .map((line) => (line.startsWith('|') ? line.replace(/\s+/g, ' ').replace(/-{3,}/g, '---') : line))
    .join('\n')
    .trim();

test("docs/cli.md's reference is what the commands' help says", () => {
  const docs = readFileSync(file, 'utf8');
  const start = docs.indexOf(REFERENCE_START);
  const end = docs.indexOf(REFERENCE_END);
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  const generated = cliReference();
  if (process.env.PLAN_WRITE_DOCS === '1') {
    const text = docs.slice(0, start) + generated + docs.slice(end + REFERENCE_END.length);
    writeFileSync(file, text);
    // Formatted as `npm test` checks it (prettier aligns the tables).
    const prettier = join(root, 'node_modules', 'prettier', 'bin', 'prettier.cjs');
    expect(spawnSync(process.execPath, [prettier, '--write', file]).status).toBe(0);
    return;
  }
  // Run `npm run docs` to bring docs/cli.md up to date.
  expect(words(docs.slice(start, end + REFERENCE_END.length))).toBe(words(generated));
});
