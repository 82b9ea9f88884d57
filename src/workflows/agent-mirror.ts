/**
 * Keeps what others see of an agent current: Temporal Web's "Current details" at once on each change, and the
 * `agents` table row through one loop that writes the latest record with a local activity, one write in flight at a
 * time, so the row never goes backwards.
 */
import { CancellationScope, condition, proxyLocalActivities, setCurrentDetails } from '@temporalio/workflow';
import type { AgentActivities, AgentRecord } from '../activities/agent-types';

const { mirrorAgent } = proxyLocalActivities<AgentActivities>({ startToCloseTimeout: '30 seconds' });

export class AgentMirror {
  private version = 0;
  private written = 0;
  private shown = '';

  constructor(
    private readonly record: () => AgentRecord,
    private readonly details: () => string,
  ) {
    // Outside any turn's scope: terminating a turn must not stop the mirror from writing that it was terminated.
    void CancellationScope.nonCancellable(() => this.run());
  }

  changed(): void {
    this.version++;
    const details = this.details();
    if (details === this.shown) return;
    setCurrentDetails(details);
    this.shown = details;
  }

  /** Resolves once the latest change is written. */
  settled(): Promise<void> {
    return condition(() => this.written === this.version);
  }

  private async run(): Promise<never> {
    for (;;) {
      await condition(() => this.written < this.version);
      const version = this.version;
      await mirrorAgent(this.record());
      this.written = version;
    }
  }
}
