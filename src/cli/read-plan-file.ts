import { readFileSync, statSync } from 'node:fs';
import { MAX_PLAN_BYTES } from '../plan';

/** The refusal when the file is not there. */
export const NO_SUCH_FILE = 'no such file';

/**
 * Reads a plan file's text, or says in a sentence why it will not: only a regular file (a device like /dev/zero or a
 * FIFO never ends, or blocks) of at most MAX_PLAN_BYTES, the most a plan can be when it travels to Temporal.
 */
export function readPlanFileText(path: string): { text: string } | { refusal: string } {
  let size: number;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) return { refusal: 'not a regular file' };
    size = stats.size;
  } catch (err) {
    return { refusal: cannotRead(err) };
  }
  if (size > MAX_PLAN_BYTES) return { refusal: `${size} bytes, over the limit of ${MAX_PLAN_BYTES}` };
  try {
    const text = readFileSync(path, 'utf8');
    // It may have grown between the two looks.
    if (text.length > MAX_PLAN_BYTES) return { refusal: `over the limit of ${MAX_PLAN_BYTES} bytes` };
    return { text };
  } catch (err) {
    return { refusal: cannotRead(err) };
  }
}

function cannotRead(err: unknown): string {
  return (err as NodeJS.ErrnoException).code === 'ENOENT' ? NO_SUCH_FILE : (err as Error).message;
}
