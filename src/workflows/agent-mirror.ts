/**
 * Keeps an agent's row in the `agents` table current: each change bumps a version, and one loop writes the latest
 * record with a local activity, one write in flight at a time, so the row never goes backwards.
 */
import { CancellationScope, condition, proxyLocalActivities } from '@temporalio/workflow';
import type { AgentActivities, AgentRecord } from '../activities/agent-types';

const { mirrorAgent } = proxyLocalActivities<AgentActivities>({ startToCloseTimeout: '30 seconds' });

export class AgentMirror {
  private version = 0;
  private written = 0;

  constructor(private readonly record: () => AgentRecord) {
    // Outside any turn's scope: terminating a turn must not stop the mirror from writing that it was terminated.
    void CancellationScope.nonCancellable(() => this.run());
  }

  changed(): void {
    this.version++;
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
