/**
 * The plan's own words for Temporal Web's *Details* (the workflow's static details, User Metadata tab): each step
 * with its tool, what it does, what it waits for and whether it has a gate. Temporal holds the details to 20,000
 * bytes, so a large plan lists what fits and says how many steps it left out.
 */
import type { Plan, StepSpec } from '../plan';

/** Temporal's default limit on the details payload, less room for the JSON string's quotes and escapes. */
const MAX_DETAILS_BYTES = 19_000;

export function planDetails(plan: Plan): string {
  const head = `**${plan.steps.length} ${plan.steps.length === 1 ? 'step' : 'steps'}**`;
  // A blank line after the heading, or markdown reads the list as part of its paragraph.
  const lines = [head, ''];
  let bytes = Buffer.byteLength(head) + 1;
  for (const [index, step] of plan.steps.entries()) {
    const line = stepLine(step);
    const left = plan.steps.length - index;
    // Room is kept for the line that says how many steps were left out.
    if (bytes + Buffer.byteLength(line) + 80 > MAX_DETAILS_BYTES) {
      lines.push(`- … and ${left} more ${left === 1 ? 'step' : 'steps'} (\`plan status\` lists them all)`);
      break;
    }
    lines.push(line);
    bytes += Buffer.byteLength(line) + 1;
  }
  return lines.join('\n');
}

function stepLine(step: StepSpec): string {
  const after = step.dependsOn.length > 0 ? ` — after ${step.dependsOn.map(code).join(', ')}` : '';
  const gate = step.requiresApproval ? ' — needs approval' : '';
  const what = step.description ? `: ${step.description.replace(/\s+/g, ' ')}` : '';
  return `- ${code(step.id)} (${code(step.toolName)})${what}${after}${gate}`;
}

/** Inline code that holds any id: a backtick inside widens the fence. */
const code = (text: string) => (text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``);
