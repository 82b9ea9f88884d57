/**
 * Approval of an agent's tool calls, through the plans' own `approve`/`reject` signals and `decide` update: one call
 * waits at a time, and a decision names it with `step` (its call id) or, without one, takes the call that waits.
 */
import { condition, log, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { PendingToolApproval, ToolCallRequest } from '../activities/agent-types';
import {
  ApprovalGate,
  normalizeDecision,
  normalizeDecisionInput,
  type Decision,
  type NormalizedDecision,
} from '../plan';
import { approveSignal, decideUpdate, planPendingApprovalKey, rejectSignal } from './definitions';

export class AgentApproval {
  pending: PendingToolApproval | null = null;
  private gate: ApprovalGate | null = null;
  private decided: NormalizedDecision | null = null;

  /** `changed` is told whenever a call starts or stops waiting (the agent's status changes with it). */
  constructor(
    private readonly agentId: string,
    private readonly changed: () => void,
  ) {}

  /** Installs the decision handlers; `open()` says whether the agent still takes decisions. */
  listen(open: () => boolean): void {
    const bySignal = (decision: Decision, input: unknown) => {
      const normalized = normalizeDecision(decision, input);
      const problem = typeof normalized === 'string' ? normalized : this.refusal(normalized, open());
      if (problem) log.warn(`${decision} signal refused: ${problem}`, { agentId: this.agentId });
      else this.take(normalized as NormalizedDecision);
    };
    setHandler(approveSignal, (input) => bySignal('approve', input));
    setHandler(rejectSignal, (input) => bySignal('reject', input));
    setHandler(
      decideUpdate,
      (input) => {
        const decision = normalizeDecisionInput(input) as NormalizedDecision;
        const gate = this.gate!;
        this.take(decision);
        return gate.answer(decision);
      },
      {
        validator: (input) => {
          const normalized = normalizeDecisionInput(input);
          const problem = typeof normalized === 'string' ? normalized : this.refusal(normalized, open());
          if (problem) throw new Error(problem);
        },
      },
    );
  }

  /** Waits for a person's decision on `request`; the agent's status says so meanwhile, and PlanPendingApproval. */
  async ask(request: ToolCallRequest & { tool: string }): Promise<NormalizedDecision> {
    this.gate = new ApprovalGate({ approvers: null, requiredApprovals: 1 }, request.id);
    this.gate.openedAt = Date.now();
    this.decided = null;
    this.pending = {
      callId: request.id,
      tool: request.tool,
      argumentsPreview: request.argumentsPreview,
      requestedAt: new Date().toISOString(),
    };
    this.publish();
    try {
      await condition(() => this.decided !== null);
      return this.decided!;
    } finally {
      this.pending = null;
      this.gate = null;
      this.publish();
    }
  }

  private refusal(input: NormalizedDecision, open: boolean): string | null {
    if (!open || !this.pending || !this.gate) return `agent "${this.agentId}" has no tool call waiting for approval`;
    if (input.step !== null && input.step !== this.pending.callId)
      return `the call waiting for approval is "${this.pending.callId}" (${this.pending.tool}), not "${input.step}"`;
    return this.gate.refusal({ ...input, step: this.pending.callId });
  }

  private take(input: NormalizedDecision): void {
    this.gate!.apply(input, new Date().toISOString());
    this.decided = input;
  }

  private publish(): void {
    upsertSearchAttributes([{ key: planPendingApprovalKey, value: this.pending !== null }]);
    this.changed();
  }
}
