import { readFileSync, statSync } from 'node:fs';

/** The refusal when the file is not there. */
export const NO_SUCH_FILE = 'no such file';

/**
 * Reads a file's text, or says in a sentence why it will not: only a regular file (a device like /dev/zero never
 * ends, a FIFO blocks) of at most `maxBytes`. For every file whose path comes from outside the code: plans and
 * sub-plans named on the command line or in a plan, the worker's secrets file.
 */
export function readBoundedFile(path: string, maxBytes: number): { text: string } | { refusal: string } {
  let size: number;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) return { refusal: 'not a regular file' };
    size = stats.size;
  } catch (err) {
    return { refusal: cannotRead(err) };
  }
  if (size > maxBytes) return { refusal: `${size} bytes, over the limit of ${maxBytes}` };
  try {
    const text = readFileSync(path, 'utf8');
    // It may have grown between the two looks.
    if (text.length > maxBytes) return { refusal: `over the limit of ${maxBytes} bytes` };
    return { text };
  } catch (err) {
    return { refusal: cannotRead(err) };
  }
}

function cannotRead(err: unknown): string {
  return (err as NodeJS.ErrnoException).code === 'ENOENT' ? NO_SUCH_FILE : (err as Error).message;
}
