import { ReferenceResolutionError, malformedReferences, referencedSteps, resolveReferences } from '../../../src/plan';

const results = new Map<string, unknown>([
  ['build', { artifact: 'app-1.2.3.tgz', size: 42, ok: true }],
  ['fetch', { items: [{ name: 'first' }, { name: 'second' }], empty: null }],
  ['count', 7],
]);

describe('referencedSteps', () => {
  it('finds every reference and where it sits', () => {
    expect(
      referencedSteps({
        body: '{{steps.build.result.artifact}}',
        nested: { list: ['x', 'from {{ steps.fetch.result.items.0.name }} and {{steps.count.result}}'] },
        template: 'Hello {{name}}',
      }),
    ).toEqual([
      { stepId: 'build', path: ['artifact'], location: ['body'] },
      { stepId: 'fetch', path: ['items', '0', 'name'], location: ['nested', 'list', 1] },
      { stepId: 'count', path: [], location: ['nested', 'list', 1] },
    ]);
  });

  it('tells malformed references apart from other braces', () => {
    expect(
      malformedReferences({
        a: '{{steps.build.output}}',
        b: '{{ steps.build }}',
        c: '{{name}}',
        d: '{{steps.build.result}}',
      }),
    ).toEqual([
      { text: '{{steps.build.output}}', location: ['a'] },
      { text: '{{ steps.build }}', location: ['b'] },
    ]);
  });
});

describe('resolveReferences', () => {
  it('gives the referenced value itself when a string is exactly one reference', () => {
    expect(
      resolveReferences(
        {
          whole: '{{steps.build.result}}',
          size: '{{ steps.build.result.size }}',
          nothing: '{{steps.fetch.result.empty}}',
        },
        results,
      ),
    ).toEqual({
      whole: { artifact: 'app-1.2.3.tgz', size: 42, ok: true },
      size: 42,
      nothing: null,
    });
  });

  it('writes values into text, objects as JSON', () => {
    expect(
      resolveReferences(
        'get {{steps.build.result.artifact}} ({{steps.build.result.size}} kB, ok={{steps.build.result.ok}}) {{steps.fetch.result.items.1}}',
        results,
      ),
    ).toBe('get app-1.2.3.tgz (42 kB, ok=true) {"name":"second"}');
    expect(resolveReferences('size: {{steps.build.result.size}}', results)).toBe('size: 42');
    expect(resolveReferences(' {{steps.count.result}}', results)).toBe(' 7');
  });

  it('resolves through nested lists and objects and indexes lists by number', () => {
    expect(
      resolveReferences(
        { a: [{ b: ['{{steps.fetch.result.items.1.name}}', 3] }], keep: 'Hello {{name}}', n: 1, z: null },
        (id) => results.get(id),
      ),
    ).toEqual({ a: [{ b: ['second', 3] }], keep: 'Hello {{name}}', n: 1, z: null });
  });

  it('names the step and path it cannot resolve', () => {
    const attempt = (value: unknown) => () => resolveReferences(value, results);
    expect(attempt({ x: ['{{steps.fetch.result.items.5.name}}'] })).toThrow(
      new ReferenceResolutionError(
        'cannot resolve "{{steps.fetch.result.items.5.name}}": the result of step "fetch" has nothing at "items.5"',
        'fetch',
        [],
      ),
    );
    expect(attempt('{{steps.fetch.result.items.first}}')).toThrow('has nothing at "items.first"');
    expect(attempt('size: {{steps.build.result.weight}}')).toThrow(
      'the result of step "build" has nothing at "weight"',
    );
    expect(attempt('{{steps.deploy.result}}')).toThrow('step "deploy" has no result');
    expect(attempt('{{steps.deploy.output}}')).toThrow('malformed reference "{{steps.deploy.output}}"');
    try {
      resolveReferences('{{steps.build.result.a.b}}', results);
    } catch (error) {
      expect(error).toBeInstanceOf(ReferenceResolutionError);
      expect(error).toMatchObject({ name: 'ReferenceResolutionError', stepId: 'build', path: ['a', 'b'] });
      return;
    }
    throw new Error('expected a ReferenceResolutionError');
  });

  it('does not read inherited properties', () => {
    expect(() => resolveReferences('{{steps.build.result.constructor}}', results)).toThrow(ReferenceResolutionError);
  });
});
