import type { ToolDescription } from '../tools/registry';
import { withSubplanTool } from '../tools/subplan-description';

/** What the planner is asked: a task, its context and constraints (the PlanRequest of the service it replaces). */
export interface PlanRequest {
  task: string;
  context?: string;
  constraints?: string[];
}

export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };

/** The conversation that asks for a plan: rules and tool catalogue, then the task. */
export function planningMessages(request: PlanRequest, tools: ToolDescription[]): ChatMessage[] {
  const catalogue = withSubplanTool(tools).map(({ name, description, risk, parameters }) => ({
    name,
    description,
    risk,
    parameters,
  }));
  const system = [
    'You are a planner. Turn the task into an execution plan: a DAG of steps, each calling exactly one tool.',
    'Rules:',
    "- Use only the tools listed below; parameters must fit the tool's JSON Schema.",
    '- Step ids are short snake_case words, unique; dependsOn lists ids of earlier steps the step needs.',
    '- A step may use an earlier step\'s result with the string "{{steps.<id>.result}}" or "{{steps.<id>.result.<field>}}",',
    '  and only if it depends on that step (directly or through others).',
    '- Each step\'s description says what it does and, after " — ", in one line why it is needed.',
    '- Steps that change things should say how to undo them in "compensate" when a later failure should roll them back.',
    '- Answer with the plan as JSON only.',
    '',
    `Tools:\n${JSON.stringify(catalogue, null, 1)}`,
  ].join('\n');
  const user = [
    `Task: ${request.task}`,
    request.context ? `Context: ${request.context}` : null,
    request.constraints?.length ? `Constraints:\n${request.constraints.map((c) => `- ${c}`).join('\n')}` : null,
  ]
    .filter(Boolean)
    .join('\n\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}

/** The message that sends the validator's findings back for another try. */
export function repairMessage(problems: string[]): ChatMessage {
  return {
    role: 'user',
    content: `That plan is invalid:\n${problems.map((p) => `- ${p}`).join('\n')}\nAnswer with the whole corrected plan as JSON.`,
  };
}
