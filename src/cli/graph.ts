/** A plan's DAG as Mermaid, Graphviz DOT or SVG, coloured by step status when a state is given. */
import type { Plan, PlanSnapshot, StepStatus } from '../plan';
import { dotToSvg } from './render-svg';

export const GRAPH_FORMATS = ['mermaid', 'dot', 'svg'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

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

/** Renders the plan's steps and dependencies; `state` adds statuses. SVG is the DOT graph laid out by Graphviz. */
export async function renderGraph(plan: Plan, format: GraphFormat, state?: PlanSnapshot): Promise<string> {
  const status = new Map(state?.steps.map((s) => [s.id, s.status]));
  if (format === 'mermaid') return mermaid(plan, status);
  return format === 'dot' ? dot(plan, status) : dotToSvg(dot(plan, status));
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

const FONT = 'Helvetica,Arial,sans-serif';

const html = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function dot(plan: Plan, status: Map<string, StepStatus>): string {
  const quote = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const lines = [
    'digraph plan {',
    '  rankdir=LR;',
    // One sans-serif font, soft grey lines and room around the boxes: a picture to put in a page, not only a sketch.
    `  graph [fontname="${FONT}", bgcolor="#ffffff", pad=0.25, nodesep=0.3, ranksep=0.5];`,
    `  node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#8c96a8", penwidth=1.2, fontname="${FONT}", fontsize=12, fontcolor="#1f2430", margin="0.3,0.1"];`,
    '  edge [color="#8c96a8", penwidth=1.2, arrowsize=0.7];',
  ];
  for (const step of plan.steps) {
    const s = status.get(step.id);
    // An HTML-like label: the step id in bold, its tool and status smaller and grey below it.
    const small = [step.toolName, s]
      .filter(Boolean)
      .map((text) => `<br/><font point-size="10" color="#5b6475">${html(text!)}</font>`);
    lines.push(
      `  ${quote(step.id)} [label=<<b>${html(step.id)}</b>${small.join('')}>${s ? `, fillcolor=${quote(COLOURS[s])}` : ''}];`,
    );
  }
  for (const step of plan.steps) for (const dep of step.dependsOn) lines.push(`  ${quote(dep)} -> ${quote(step.id)};`);
  lines.push('}');
  return lines.join('\n');
}
