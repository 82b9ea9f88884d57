import { SUBPLAN_TOOL } from '../plan';
import type { ToolDescription } from './registry';

/**
 * `subplan` as the catalogue describes it. The workflow runs it itself (a child workflow, see
 * src/plan/checking/subplan.ts), so no registry holds it; the planner and `plan tools` list it beside the tools that
 * do.
 */
export const SUBPLAN_DESCRIPTION: ToolDescription = {
  name: SUBPLAN_TOOL,
  description:
    'Runs a nested plan as a sub-agent with its own context (memory namespace) and approval policy; its final state ' +
    "is the result. Use it to fan work out to independent analyses. The nested plan's steps keep their own tools' " +
    'risk and approvals.',
  risk: 'write',
  secretParams: [],
  parameters: {
    type: 'object',
    required: ['plan'],
    properties: {
      plan: { type: 'object', description: 'the nested plan: steps and options, like a plan file' },
      namespace: {
        type: 'string',
        description: 'its shared-memory namespace project/environment/agent_type/session_id (default: its own)',
      },
    },
    additionalProperties: false,
  },
};

/** A registry's tools followed by `subplan`: every tool a plan step may name. */
export function withSubplanTool(tools: readonly ToolDescription[]): ToolDescription[] {
  return [...tools, SUBPLAN_DESCRIPTION];
}
