-- Circuit breakers and call limits (see src/activities/call-guard.ts), shared by every worker and plan.

-- One row per breaker that has seen a failure: `tool` or `tool target` (the HTTP host, the SQL connection).
CREATE TABLE circuit_breakers (
  breaker_key       text PRIMARY KEY,
  tool              text NOT NULL,
  target            text,
  state             text NOT NULL CHECK (state IN ('closed', 'open', 'half_open')),
  -- Failures counted in the window that began at window_started_at.
  failures          integer NOT NULL DEFAULT 0,
  window_started_at timestamptz NOT NULL DEFAULT now(),
  opened_at         timestamptz,
  -- Open until then; after it, one call may probe.
  open_until        timestamptz,
  -- Half-open: the probe's call runs until then at most; a probe lost with its worker frees the way after it.
  probe_until       timestamptz,
  last_error        text,
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- Rate limits: calls under a key start at least 1/perSecond apart; next_at is when the next one may.
CREATE TABLE call_limit_pace (
  limit_key text PRIMARY KEY,
  next_at   timestamptz NOT NULL
);

-- Concurrency limits: one row per call running under a key; a row past expires_at belongs to a lost worker.
CREATE TABLE call_limit_slots (
  limit_key  text NOT NULL,
  holder     text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (limit_key, holder)
);
