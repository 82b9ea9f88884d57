-- Step results too large for workflow history (over the worker's inline limit, 64 KiB by default). The workflow
-- keeps a marker naming (plan_id, sha256); activities fetch the value when a later step or a compensation uses it,
-- and the mirror writes the value itself into task_plans.result. Keyed by content, so a retried write is one row.
CREATE TABLE stored_results (
  plan_id    text NOT NULL,
  sha256     text NOT NULL,
  step_id    text NOT NULL,
  value      jsonb NOT NULL,
  bytes      integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (plan_id, sha256)
);

-- What a plan carries from one run to the next when it continues as new: its plan, its progress and the tool
-- hints, as JSON text cut into chunks so no single activity payload comes near Temporal's 2 MB limit.
CREATE TABLE plan_checkpoints (
  plan_id    text NOT NULL,
  run_id     text NOT NULL,
  chunk      integer NOT NULL,
  data       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (plan_id, run_id, chunk)
);
