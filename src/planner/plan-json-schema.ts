/**
 * The JSON Schema the model must answer with (OpenAI "structured outputs", response_format json_schema). Loose on
 * parameters — each tool's own schema is in the prompt, and the plan validator judges the answer.
 */
export const PLAN_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['description', 'steps'],
  properties: {
    description: { type: 'string', description: 'What the plan achieves, one sentence' },
    options: {
      type: 'object',
      description: 'Optional plan options, e.g. {"allowParallel": true, "maxParallelSteps": 4}',
    },
    steps: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'toolName', 'description', 'parameters', 'dependsOn'],
        properties: {
          id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$' },
          toolName: { type: 'string' },
          description: { type: 'string', description: 'What the step does and, in one line, why it is needed' },
          parameters: { type: 'object', description: "The tool's parameters, fitting its schema" },
          dependsOn: { type: 'array', items: { type: 'string' } },
          maxRetries: { type: 'integer', minimum: 0, maximum: 10 },
          requiresApproval: { type: 'boolean' },
          compensate: {
            type: 'object',
            description: 'How to undo the step if a later one fails: {"toolName": ..., "parameters": {...}}',
          },
        },
      },
    },
  },
} as const;
