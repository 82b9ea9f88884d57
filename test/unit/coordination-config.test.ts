/** The configuration's `breakers` and `limits`: defaults filled, mistakes named, keys rendered per call. */
import { join } from 'node:path';
import { checkCoordination, loadProjectConfig } from '../../src/config';
import { renderLimitKey } from '../../src/activities/limit-key';
import { boundedKey } from '../../src/activities/call-guard';

test('breakers get their defaults; limits keep what they set', () => {
  expect(checkCoordination({ http_request: { failures: 2 } }, { sql_query: { concurrency: 3 } })).toEqual({
    breakers: { http_request: { failures: 2, windowSeconds: 60, coolDownSeconds: 30, per: 'target' } },
    limits: { sql_query: { concurrency: 3, key: '{{tool}}' } },
  });
});

test.each([
  [
    { http_request: { failurs: 2 } },
    undefined,
    /breakers\.http_request: unknown key "failurs" \(did you mean "failures"\?\)/,
  ],
  [{ http_request: { failures: 0 } }, undefined, /breakers\.http_request\.failures must be a positive whole number/],
  [{ http_request: { per: 'host' } }, undefined, /breakers\.http_request\.per must be "tool" or "target"/],
  [undefined, { http_request: { key: '{{tool}}' } }, /limits\.http_request must set perSecond, concurrency or both/],
  [undefined, { http_request: { perSecond: -1 } }, /limits\.http_request\.perSecond must be a positive number/],
  [undefined, [], /"limits" must be an object of settings by tool name/],
])('a mistake is named: %j %j', (breakers, limits, message) => {
  expect(() => checkCoordination(breakers, limits)).toThrow(message);
});

test('limit keys render from the tool and the call parameters, URL parts included', () => {
  const parameters = { url: 'https://api.example.com:8443/orders?x=1', connection: 'reports', nested: { n: 1 } };
  expect(renderLimitKey('{{parameters.url.host}}', 'http_request', parameters)).toBe('api.example.com:8443');
  expect(renderLimitKey('{{tool}}@{{parameters.connection}}', 'sql_query', parameters)).toBe('sql_query@reports');
  expect(renderLimitKey('{{ parameters.nested }}/{{parameters.missing.host}}', 't', parameters)).toBe('{"n":1}/');
});

test('the example configuration loads', async () => {
  const project = await loadProjectConfig({
    flag: join(__dirname, '..', '..', 'examples', 'coordination', 'durable-plans.config.ts'),
  });
  expect(project.coordination.breakers.http_request).toMatchObject({ failures: 3, coolDownSeconds: 5 });
  expect(project.coordination.limits.http_request).toEqual({
    perSecond: 2,
    concurrency: 1,
    key: '{{parameters.url.host}}',
  });
});

test('a key or target a model made huge is bounded, and two different ones stay apart', () => {
  const huge = (tail: string) =>
    renderLimitKey('{{parameters.body}}', 'http_request', { body: 'x'.repeat(1e6) + tail });
  const [a, b] = [boundedKey(huge('a')), boundedKey(huge('b'))];
  expect(a.length).toBeLessThanOrEqual(200);
  expect(a).not.toBe(b);
  expect(boundedKey('api.example.com')).toBe('api.example.com');
});
