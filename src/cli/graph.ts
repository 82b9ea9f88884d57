/** A plan's DAG as Mermaid or Graphviz DOT, coloured by step status when a state is given. */
import type { Plan, PlanSnapshot, StepStatus } from '../plan';

export type GraphFormat = 'mermaid' | 'dot';

const COLOURS: Record<StepStatus, string> = {
  pending: '#eeeeee',
  waiting_approval: '#fff3b0',
  waiting_for_resources: '#ffd9a8',
  running: '#b3d9ff',
  completed: '#b7ebb7',
  failed: '#f5b5b5',
  skipped: '#d9d9d9',
  compensated: '#e0c8f5',
  compensation_failed: '#f08080',
};

/** Renders the plan's steps and dependencies; `state` adds statuses. */
export function renderGraph(plan: Plan, format: GraphFormat, state?: PlanSnapshot): string {
  const status = new Map(state?.steps.map((s) => [s.id, s.status]));
  return format === 'mermaid' ? mermaid(plan, status) : dot(plan, status);
}

function mermaid(plan: Plan, status: Map<string, StepStatus>): string {
  // Mermaid ids must be simple; step ids may hold "-", so nodes get positional ids and the step id as label.
  const node = new Map(plan.steps.map((s, i) => [s.id, `s${i}`]));
  const lines = ['flowchart TD'];
  for (const step of plan.steps) {
    const label = [step.id, step.toolName, status.get(step.id)].filter(Boolean).join('<br/>');
    lines.push(`  ${node.get(step.id)}["${label.replace(/"/g, '#quot;')}"]`);
  }
  for (const step of plan.steps)
    for (const dep of step.dependsOn) lines.push(`  ${node.get(dep)} --> ${node.get(step.id)}`);
  if (status.size > 0) {
    for (const [name, colour] of Object.entries(COLOURS)) lines.push(`  classDef ${name} fill:${colour}`);
    for (const step of plan.steps) {
      const s = status.get(step.id);
      if (s) lines.push(`  class ${node.get(step.id)} ${s}`);
    }
  }
  return lines.join('\n');
}

function dot(plan: Plan, status: Map<string, StepStatus>): string {
  const quote = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const lines = ['digraph plan {', '  rankdir=LR;', '  node [shape=box, style="rounded,filled", fillcolor="#ffffff"];'];
  for (const step of plan.steps) {
    const s = status.get(step.id);
    const label = [step.id, step.toolName, s].filter(Boolean).join('\\n');
    lines.push(
      `  ${quote(step.id)} [label="${label.replace(/"/g, '\\"')}"${s ? `, fillcolor=${quote(COLOURS[s])}` : ''}];`,
    );
  }
  for (const step of plan.steps) for (const dep of step.dependsOn) lines.push(`  ${quote(dep)} -> ${quote(step.id)};`);
  lines.push('}');
  return lines.join('\n');
}
