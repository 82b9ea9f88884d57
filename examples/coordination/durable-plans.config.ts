// Circuit breakers and call limits for http_request, as a team would set them (see "Circuit breakers and call
// limits" in the README). A plain object works; `defineConfig` from 'durable-plans' adds type checking.
export default {
  breakers: {
    // Three failures within a minute open the breaker of that host for five seconds.
    http_request: { failures: 3, windowSeconds: 60, coolDownSeconds: 5, per: 'target' },
  },
  limits: {
    // Two calls a second per host, one at a time, across every worker.
    http_request: { perSecond: 2, concurrency: 1, key: '{{parameters.url.host}}' },
  },
};
