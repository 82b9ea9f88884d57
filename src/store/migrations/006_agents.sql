-- Agents (see src/workflows/agent.ts): the conversation lives here, never in workflow history, which holds only
-- message numbers. Every write is keyed so a retried activity writes each row once.

-- One row per agent, written by its activities: what dashboards and `plan agent list` show.
CREATE TABLE agents (
  agent_id    text PRIMARY KEY,
  status      text NOT NULL,
  group_name  text,
  parent_id   text,
  model       text,
  turns       integer NOT NULL DEFAULT 0,
  last_reply  text,
  error       text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agents_group_idx ON agents (group_name) WHERE group_name IS NOT NULL;

-- The conversation, numbered by the agent's workflow: user, assistant (with its tool calls) and tool messages.
CREATE TABLE agent_messages (
  agent_id     text NOT NULL,
  seq          bigint NOT NULL,
  turn         integer NOT NULL,
  role         text NOT NULL CHECK (role IN ('user', 'assistant', 'tool')),
  content      text NOT NULL,
  -- assistant: [{ id, name, arguments }], the model's own function names and argument text.
  tool_calls   jsonb,
  -- tool: which call this answers, and the catalogue's name of the tool.
  tool_call_id text,
  tool_name    text,
  -- user: who sent it ("agent:<id>" for another agent) and the acknowledgement id the sender was given.
  sender       text,
  ack_id       text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (agent_id, seq)
);
CREATE INDEX agent_messages_ack_idx ON agent_messages (agent_id, ack_id) WHERE ack_id IS NOT NULL;

-- What the context manager made of older messages: the summary of everything up to and including covers_to.
CREATE TABLE agent_summaries (
  agent_id   text NOT NULL,
  covers_to  bigint NOT NULL,
  content    text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (agent_id, covers_to)
);

-- What subscribers follow (`plan agent tail`, subscribeAgent): model tokens as they stream, and every message once
-- written. Token chunks are keyed by their place (turn, model call, attempt, character offset), so a retried write
-- is one row and a subscriber can tell a retried attempt's text from new text. Each insert is announced with
-- NOTIFY durable_plans_agent_events, payload the agent id.
CREATE TABLE agent_events (
  id        bigserial PRIMARY KEY,
  agent_id  text NOT NULL,
  kind      text NOT NULL CHECK (kind IN ('token', 'message')),
  turn      integer NOT NULL,
  call      integer NOT NULL DEFAULT 0,
  attempt   integer NOT NULL DEFAULT 0,
  "offset"  integer NOT NULL DEFAULT 0,
  -- message: its number, role and (for a tool's answer) the tool.
  seq       bigint,
  role      text,
  tool_name text,
  text      text NOT NULL,
  at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX agent_events_token_idx ON agent_events (agent_id, turn, call, attempt, "offset") WHERE kind = 'token';
CREATE UNIQUE INDEX agent_events_message_idx ON agent_events (agent_id, seq) WHERE kind = 'message';
CREATE INDEX agent_events_agent_idx ON agent_events (agent_id, id);
