/**
 * Where a test writes what the docs show (the pictures in docs/images): into docs/ itself when PLAN_WRITE_DOCS=1
 * (`npm run docs`), else into .data/docs-preview/ (ignored by git), so that `npm test` takes the same pictures but
 * leaves the working tree as it found it — every run's pictures differ in their times and ids.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(__dirname, '..', '..');

/** The path to write `relative` (a path under docs/, e.g. "images/plan-watch.svg") to; its folder exists. */
export function docsOutput(relative: string): string {
  const base = process.env.PLAN_WRITE_DOCS === '1' ? join(root, 'docs') : join(root, '.data', 'docs-preview');
  const path = join(base, relative);
  mkdirSync(dirname(path), { recursive: true });
  return path;
}
