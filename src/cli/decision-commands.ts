/** `plan approve`, `plan reject`: a decision through the validating `decide` update, so the answer comes back. */
import { decide } from '../api/plans';
import type { Decision } from '../plan';
import { stringOption, type Parsed } from './args';
import type { CliContext } from './context';
import { EXIT } from './errors';
import { defaultActor, type Command } from './command';

async function decideFromCli(ctx: CliContext, parsed: Parsed, decision: Decision): Promise<number> {
  const planId = parsed.positionals[0]!;
  const step = stringOption(parsed, 'step') ?? null;
  const text = stringOption(parsed, decision === 'approve' ? 'comment' : 'reason');
  const answer = await decide(await ctx.temporal(), planId, {
    decision,
    by: stringOption(parsed, 'by') ?? defaultActor(),
    ...(text ? (decision === 'approve' ? { comment: text } : { reason: text }) : {}),
    step,
  });
  if (ctx.output.json) {
    ctx.output.out(JSON.stringify(answer));
    return EXIT.ok;
  }
  const what = step ? `step ${step} of plan ${planId}` : `plan ${planId}`;
  const verdict =
    answer.gate === 'waiting'
      ? `approval recorded for ${what}: ${answer.approvals} of ${answer.requiredApprovals} approvals`
      : `${what} ${answer.gate}${answer.gate === 'approved' ? ' — it runs now' : ''}`;
  ctx.output.out(verdict);
  return EXIT.ok;
}

export const approve: Command = {
  spec: {
    usage: 'plan approve <planId> [--by NAME] [--comment TEXT] [--step ID] [--json]',
    summary:
      'Approves a plan waiting in pending_approval, or with --step one gated step. A refusal says why and exits 1.',
    example: 'npm run -s plan -- approve release-42 --by alice --comment "checked the diff"',
    options: {
      by: { type: 'string' },
      comment: { type: 'string' },
      step: { type: 'string' },
      json: { type: 'boolean' },
    },
    positionals: 1,
  },
  run: (ctx, parsed) => decideFromCli(ctx, parsed, 'approve'),
};

export const reject: Command = {
  spec: {
    usage: 'plan reject <planId> [--by NAME] [--reason TEXT] [--step ID] [--json]',
    summary: 'Rejects a plan (or with --step one gated step); completed steps are compensated. A refusal exits 1.',
    example: 'npm run -s plan -- reject release-42 --by bob --reason "change freeze"',
    options: {
      by: { type: 'string' },
      reason: { type: 'string' },
      step: { type: 'string' },
      json: { type: 'boolean' },
    },
    positionals: 1,
  },
  run: (ctx, parsed) => decideFromCli(ctx, parsed, 'reject'),
};

export const decisionCommands = { approve, reject };
