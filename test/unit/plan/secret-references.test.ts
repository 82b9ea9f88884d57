import {
  checkPlan,
  literalSecretWarnings,
  REDACTED,
  redactParameters,
  resolveSecretSlots,
  secretSlots,
  type Plan,
} from '../../../src/plan';

const lookUp = (name: string): string => {
  const values: Record<string, string> = { API_TOKEN: 'tok-123', OTHER: 'other-456' };
  if (!(name in values)) throw new Error(`unknown secret "${name}"`);
  return values[name]!;
};

describe('secret references', () => {
  it('finds the slots the plan wrote, which are not step references', () => {
    const parameters = { auth: 'Bearer {{secrets.API_TOKEN}}', list: ['x', '{{ secrets.OTHER }}'], t: '{{name}}' };
    expect(secretSlots(parameters)).toEqual([
      { location: ['auth'], names: ['API_TOKEN'] },
      { location: ['list', 1], names: ['OTHER'] },
    ]);
    expect(checkPlan({ steps: [{ id: 'a', toolName: 'echo', parameters }] }).problems).toEqual([]);
  });

  it('fills in only the slots and names the plan wrote: a reference arriving in a result stays text', () => {
    const authored = { auth: 'Bearer {{secrets.API_TOKEN}}', note: 'page: {{steps.fetch.result}}' };
    // What the workflow sends after resolving the step reference with hostile text from the world.
    const sent = { auth: 'Bearer {{secrets.API_TOKEN}}', note: 'page: {{secrets.OTHER}} {{secrets.API_TOKEN}}' };
    const { parameters, values } = resolveSecretSlots(sent, secretSlots(authored), lookUp);
    expect(parameters).toEqual({ auth: 'Bearer tok-123', note: sent.note });
    expect(values).toEqual(['tok-123']);
  });

  it('throws for an unknown name, from the look-up', () => {
    const authored = { auth: '{{secrets.MISSING}}' };
    expect(() => resolveSecretSlots(authored, secretSlots(authored), lookUp)).toThrow('unknown secret "MISSING"');
  });

  it('reports a malformed secret reference as a problem naming the field', () => {
    const { problems } = checkPlan({
      steps: [{ id: 'a', toolName: 'echo', parameters: { auth: '{{secrets.bad-name}}', b: '{{secrets.}}' } }],
    });
    expect(problems.map((p) => [p.field, p.message.split(':')[0]])).toEqual([
      ['parameters.auth', 'malformed secret reference "{{secrets.bad-name}}"'],
      ['parameters.b', 'malformed secret reference "{{secrets.}}"'],
    ]);
  });
});

describe('literal credentials', () => {
  const secretParamsOf = (tool: string) => (tool === 'login' ? ['password'] : []);
  const plan = (input: unknown) => checkPlan(input).plan as Plan;

  it('earn a warning pointing to {{secrets.NAME}}; references and other tools do not', () => {
    const warnings = literalSecretWarnings(
      plan({
        steps: [
          { id: 'a', toolName: 'login', parameters: { password: 'hunter2' } },
          { id: 'b', toolName: 'login', parameters: { password: '{{secrets.PW}}' } },
          { id: 'c', toolName: 'echo', parameters: { password: 'not secret to echo' } },
          {
            id: 'd',
            toolName: 'subplan',
            parameters: { plan: { steps: [{ id: 'n', toolName: 'login', parameters: { password: 'inner' } }] } },
          },
        ],
      }),
      secretParamsOf,
    );
    expect(warnings.map((w) => [w.stepId, w.field])).toEqual([
      ['a', 'parameters.password'],
      ['d > n', 'parameters.password'],
    ]);
    expect(warnings[0]!.message).toMatch(/\{\{secrets\.NAME\}\}/);
  });
});

describe('mirror redaction', () => {
  it('redacts secret parameters of sub-plan steps and their compensations, however deep', () => {
    const secrets = { login: ['password'] };
    const inner = { steps: [{ id: 'x', toolName: 'login', parameters: { user: 'u', password: 'deep' } }] };
    const nested = {
      steps: [
        {
          id: 'n',
          toolName: 'login',
          parameters: { user: 'ada', password: 'p1' },
          compensate: { toolName: 'login', parameters: { password: 'p2' } },
        },
        { id: 's', toolName: 'subplan', parameters: { plan: inner } },
      ],
    };
    const shown = JSON.stringify(redactParameters('subplan', { plan: nested }, secrets));
    for (const secret of ['p1', 'p2', 'deep']) expect(shown).not.toContain(`"${secret}"`);
    expect(shown).toContain('"ada"');
    expect(shown.split(REDACTED).length - 1).toBe(3);
  });
});
