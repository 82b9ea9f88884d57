import { ApplicationFailure } from '@temporalio/activity';
import { prefixPattern, type MemoryNamespace, type MemoryNamespacePrefix, type MemoryScope } from '../plan';
import { MEMORY_ACCESS_DENIED } from '../plan/error-types';
import type {
  DeleteOptions,
  ListOptions,
  ListPage,
  MemoryEntry,
  MemoryWriter,
  Replaced,
  SetOptions,
  SharedMemory,
} from '../store/shared-memory';

/** Who writes through a step's handle: recorded on every entry it writes. */
export interface StepWriter {
  writer: MemoryWriter;
  /** The step's idempotency key, so a retried compare-and-set whose first attempt committed counts as done. */
  idempotencyKey: string;
}

/**
 * A step's handle on shared memory: one namespace, every write recorded as the step's, and no way past what its plan
 * may reach (`scope`). Tools get only this handle, so a plan — often written by a model — can name another plan's
 * namespace but never touch it. Operators keep the whole store through `SharedMemory` and the CLI.
 */
export class StepMemory {
  constructor(
    private readonly store: SharedMemory,
    /** The plan's `options.memoryNamespace`, else the plan's own. */
    readonly namespace: MemoryNamespace,
    private readonly step: StepWriter,
    private readonly scope: MemoryScope,
  ) {}

  /** The live entry under `key`, or null. */
  get(key: string): Promise<MemoryEntry | null> {
    return this.store.get(this.namespace, key);
  }

  /**
   * Writes a value as this step; with `expectedVersion`, only if the entry is at that version (else
   * MemoryConflictError).
   */
  async set(
    key: string,
    value: unknown,
    options: Pick<SetOptions, 'ttlSeconds' | 'expectedVersion'> = {},
  ): Promise<MemoryEntry> {
    return (await this.swap(key, value, options)).entry;
  }

  /** `set`, also returning what the write replaced, read in the same statement (see `SharedMemory.swap`). */
  swap(
    key: string,
    value: unknown,
    options: Pick<SetOptions, 'ttlSeconds' | 'expectedVersion'> = {},
  ): Promise<{ entry: MemoryEntry; replaced: Replaced }> {
    return this.store.swap(this.namespace, key, value, { ...options, ...this.step });
  }

  /** Deletes the entry; true if a live one was deleted. */
  delete(key: string, options: DeleteOptions = {}): Promise<boolean> {
    return this.store.delete(this.namespace, key, options);
  }

  /** Live entries of this namespace, by key. */
  list(options: ListOptions = {}): Promise<MemoryEntry[]> {
    return this.store.list(this.namespace, options);
  }

  /** Live entries under a prefix the plan may reach as a whole (else MemoryAccessDenied), by namespace then key. */
  listUnder(prefix: MemoryNamespacePrefix, options: ListOptions = {}): Promise<ListPage> {
    this.checkReach(prefix);
    return this.store.listPage(prefix, options);
  }

  /** The same step's handle on another namespace its plan may reach (else MemoryAccessDenied). */
  withNamespace(namespace: MemoryNamespace): StepMemory {
    this.checkReach(namespace);
    return new StepMemory(this.store, namespace, this.step, this.scope);
  }

  private checkReach(prefix: MemoryNamespacePrefix): void {
    const pattern = prefixPattern(prefix);
    if (!this.scope.allows(pattern)) {
      throw ApplicationFailure.create({
        message: this.scope.refusal(pattern),
        type: MEMORY_ACCESS_DENIED,
        nonRetryable: true,
      });
    }
  }
}
