import type { MemoryNamespace } from '../plan';
import type {
  DeleteOptions,
  ListOptions,
  MemoryEntry,
  MemoryWriter,
  SetOptions,
  SharedMemory,
} from '../store/shared-memory';

/** Who writes through a step's handle: recorded on every entry it writes. */
export interface StepWriter {
  writer: MemoryWriter;
  /** The step's idempotency key, so a retried compare-and-set whose first attempt committed counts as done. */
  idempotencyKey: string;
}

/** A step's handle on shared memory: one namespace, and every write recorded as the step's. */
export class StepMemory {
  constructor(
    /** The whole shared memory, for tools that read or write elsewhere (`memory_list` lists by prefix). */
    readonly store: SharedMemory,
    /** The plan's `options.memoryNamespace`, else the plan's own. */
    readonly namespace: MemoryNamespace,
    private readonly step: StepWriter,
  ) {}

  /** The live entry under `key`, or null. */
  get(key: string): Promise<MemoryEntry | null> {
    return this.store.get(this.namespace, key);
  }

  /**
   * Writes a value as this step; with `expectedVersion`, only if the entry is at that version (else
   * MemoryConflictError).
   */
  set(
    key: string,
    value: unknown,
    options: Pick<SetOptions, 'ttlSeconds' | 'expectedVersion'> = {},
  ): Promise<MemoryEntry> {
    return this.store.set(this.namespace, key, value, { ...options, ...this.step });
  }

  /** Deletes the entry; true if a live one was deleted. */
  delete(key: string, options: DeleteOptions = {}): Promise<boolean> {
    return this.store.delete(this.namespace, key, options);
  }

  /** Live entries of this namespace, by key. */
  list(options: ListOptions = {}): Promise<MemoryEntry[]> {
    return this.store.list(this.namespace, options);
  }

  /** The same step's handle on another namespace (one a step names), still writing as this step. */
  withNamespace(namespace: MemoryNamespace): StepMemory {
    return new StepMemory(this.store, namespace, this.step);
  }
}
