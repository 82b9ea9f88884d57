-- The plan mirror: a projection of each plan workflow's state for agents, dashboards and SQL users (the
-- plan_progress and task_plans tables of the batch runners it replaces). The workflow is the only writer. Every row carries (generation, version) — the
-- plan's first start time and the workflow's sequence number — and a write applies only when its pair is newer,
-- so a retried or late write never moves a row backwards, and a later run of the same plan id always wins.

CREATE TABLE plan_progress (
  plan_id              text PRIMARY KEY,
  run_id               text NOT NULL,
  description          text NOT NULL DEFAULT '',
  status               text NOT NULL,
  reason               text,
  approvals            jsonb NOT NULL DEFAULT '[]'::jsonb,
  total_steps          integer NOT NULL DEFAULT 0,
  completed_steps      integer NOT NULL DEFAULT 0,
  failed_steps         integer NOT NULL DEFAULT 0,
  skipped_steps        integer NOT NULL DEFAULT 0,
  total_batches        integer NOT NULL DEFAULT 0,
  completed_batches    integer NOT NULL DEFAULT 0,
  failed_batches       integer NOT NULL DEFAULT 0,
  current_batch_index  integer,
  overall_success_rate numeric(5, 2) NOT NULL DEFAULT 0,
  started_at           timestamptz NOT NULL,
  finished_at          timestamptz,
  last_updated         timestamptz NOT NULL DEFAULT now(),
  generation           bigint NOT NULL,
  version              bigint NOT NULL
);

-- Dashboards list plans by status, most recently updated first.
CREATE INDEX plan_progress_status_updated_idx ON plan_progress (status, last_updated DESC);
CREATE INDEX plan_progress_updated_idx ON plan_progress (last_updated DESC);

-- Keyed by (plan, step), not by a global task id: two plans may both have a step called "build".
CREATE TABLE task_plans (
  plan_id                          text NOT NULL,
  step_id                          text NOT NULL,
  -- The step's index in the plan file, so readers can list steps in the plan's own order.
  position                         integer NOT NULL,
  tool_name                        text NOT NULL,
  description                      text NOT NULL DEFAULT '',
  parameters                       jsonb NOT NULL DEFAULT '{}'::jsonb,
  batch_index                      integer,
  depends_on                       text[] NOT NULL DEFAULT '{}',
  complexity                       text CHECK (complexity IN ('low', 'medium', 'high')),
  is_required_validate_by_database boolean NOT NULL DEFAULT false,
  status                           text NOT NULL,
  attempts                         integer NOT NULL DEFAULT 0,
  result                           jsonb,
  error_message                    text,
  error_type                       text,
  compensation_status              text,
  -- { status, startedAt, completedAt, error } as in the state object, once a compensation ran.
  compensation                     jsonb,
  started_at                       timestamptz,
  finished_at                      timestamptz,
  updated_at                       timestamptz NOT NULL DEFAULT now(),
  generation                       bigint NOT NULL,
  version                          bigint NOT NULL,
  PRIMARY KEY (plan_id, step_id)
);

-- Seed 000 reads a plan's tasks batch by batch, and by status.
CREATE INDEX task_plans_batch_idx ON task_plans (plan_id, batch_index);
CREATE INDEX task_plans_status_idx ON task_plans (plan_id, status);
