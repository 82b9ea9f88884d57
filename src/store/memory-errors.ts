import { formatNamespace, type MemoryNamespace } from '../plan';

/** A compare-and-set write or delete found another version than it expected; nothing was changed. */
export class MemoryConflictError extends Error {
  override readonly name = 'MemoryConflictError';

  constructor(
    readonly namespace: MemoryNamespace,
    readonly key: string,
    readonly expectedVersion: number,
    /** The live entry's version, or null when there is none. */
    readonly currentVersion: number | null,
  ) {
    const expected = expectedVersion === 0 ? 'no entry' : `version ${expectedVersion}`;
    const found = currentVersion === null ? 'no entry' : `version ${currentVersion}`;
    super(
      `shared memory ${formatNamespace(namespace)} key ${JSON.stringify(shortened(key))}: expected ${expected}, found ${found}`,
    );
  }
}

/** A namespace, key, value or option that shared memory refuses; the message says which and why. */
export class MemoryInputError extends Error {
  override readonly name = 'MemoryInputError';
}

// A 16 KB key would drown the message it is quoted in.
function shortened(key: string): string {
  return key.length <= 200 ? key : `${key.slice(0, 200)}… (${key.length} characters)`;
}
