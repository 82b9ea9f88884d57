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
      by: { type: 'string', value: 'NAME', description: 'who approves, as recorded (default: your user name)' },
      comment: { type: 'string', value: 'TEXT', description: 'a comment recorded with the approval' },
      step: { type: 'string', value: 'ID', description: 'approve this gated step instead of the whole plan' },
      json: { type: 'boolean', description: "print the plan's answer (its gate and approvals) as JSON" },
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
      by: { type: 'string', value: 'NAME', description: 'who rejects, as recorded (default: your user name)' },
      reason: { type: 'string', value: 'TEXT', description: 'why, recorded with the rejection' },
      step: { type: 'string', value: 'ID', description: 'reject this gated step instead of the whole plan' },
      json: { type: 'boolean', description: "print the plan's answer (its gate and approvals) as JSON" },
    },
    positionals: 1,
  },
  run: (ctx, parsed) => decideFromCli(ctx, parsed, 'reject'),
};

export const decisionCommands = { approve, reject };
