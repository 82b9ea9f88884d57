-- Operator repair of paused plans (retry, skip, abort): who did what, when, mirrored like approvals.
ALTER TABLE plan_progress ADD COLUMN operator_actions jsonb NOT NULL DEFAULT '[]'::jsonb;
