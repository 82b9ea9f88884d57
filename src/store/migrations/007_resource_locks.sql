-- Resource locks (see src/store/resource-locks.ts): one row per step that asked for resources, waiting or holding.
-- All of a step's resources are granted together in one transaction, so nobody holds one while waiting for another.
CREATE TABLE resource_requests (
  request_id    text PRIMARY KEY,
  namespace     text NOT NULL,
  plan_id       text NOT NULL,
  -- The plan's first run: a plan id used again by a new plan is another holder.
  first_run_id  text NOT NULL,
  step_id       text NOT NULL,
  purpose       text NOT NULL CHECK (purpose IN ('step', 'compensation')),
  -- [{ "name": "db:orders", "mode": "read" | "write" }]
  resources     jsonb NOT NULL,
  priority      integer NOT NULL DEFAULT 0,
  requested_at  timestamptz NOT NULL DEFAULT now(),
  granted_at    timestamptz,
  -- Increases with every grant, across all resources: a tool can refuse a write carrying an older token.
  fencing_token bigint
);
CREATE INDEX resource_requests_plan_idx ON resource_requests (plan_id, first_run_id);

CREATE SEQUENCE resource_fencing_tokens;
