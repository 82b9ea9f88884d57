/** `options.notify` as a plan's author meets it: defaults filled, and every mistake named with the plan's others. */
import { checkPlan, MAX_NOTIFY_TARGETS, MAX_NOTIFY_URL_CHARS, NOTIFY_EVENTS } from '../../../src/plan';

const plan = (notify: unknown) => ({ options: { notify }, steps: [{ id: 'a', toolName: 'echo' }] });

test('a target without events gets every event; a listed subset stays as written', () => {
  const { plan: checked, problems } = checkPlan(
    plan([{ url: 'https://hooks.example.com/plans' }, { url: 'http://ops:8080/x', events: ['plan_ended'] }]),
  );
  expect(problems).toEqual([]);
  expect(checked!.options.notify).toEqual([
    { url: 'https://hooks.example.com/plans', events: [...NOTIFY_EVENTS] },
    { url: 'http://ops:8080/x', events: ['plan_ended'] },
  ]);
});

test('bad URLs, unknown events and unknown keys are refused together, each naming its place', () => {
  const { plan: checked, problems } = checkPlan({
    options: {
      allowParalel: true,
      notify: [
        { url: 'ftp://files.example.com/x' },
        { url: 'not a url', events: ['step_done'] },
        { url: 'https://user:pw@hooks.example.com/', evnts: ['plan_ended'] },
      ],
    },
    steps: [{ id: 'a', toolName: 'echo' }],
  });
  expect(checked).toBeNull();
  const said = problems.map((p) => `${p.field}: ${p.message}`);
  expect(said).toEqual(
    expect.arrayContaining([
      'options.notify[0].url: must be an http or https URL, not ftp:',
      'options.notify[1].url: "not a url" is not a URL',
      'options.notify[1].events: unknown event "step_done"; events are ' + NOTIFY_EVENTS.join(', '),
      expect.stringMatching(/^options\.notify\[2\]: unknown key "evnts" \(did you mean "events"\?\)/),
      'options.notify[2].url: must not carry credentials (the worker signs each delivery instead)',
    ]),
  );
  // The plan's other mistake is reported in the same pass.
  expect(said).toContainEqual(expect.stringContaining('unknown key "allowParalel"'));
});

test(`at most ${MAX_NOTIFY_TARGETS} targets, and notify must be a list`, () => {
  const many = Array.from({ length: MAX_NOTIFY_TARGETS + 1 }, (_, i) => ({ url: `https://h${i}.example.com/` }));
  expect(checkPlan(plan(many)).problems.map((p) => p.message)).toContain(
    `must have at most ${MAX_NOTIFY_TARGETS} targets`,
  );
  const long = `https://hooks.example.com/${'a'.repeat(MAX_NOTIFY_URL_CHARS)}`;
  expect(checkPlan(plan([{ url: long }])).problems.map((p) => p.message)).toContain(
    `must be at most ${MAX_NOTIFY_URL_CHARS} characters`,
  );
  expect(checkPlan(plan({ url: 'https://x.example.com' })).problems.map((p) => p.message)).toContain(
    'must be a list of { url, events? }',
  );
});
