-- Shared memory (the agents' key/value store): JSON values that agents and plan steps share, under a namespace
-- project/environment/agent_type/session_id and a key. Every write bumps `version`, so writers can compare-and-set;
-- `expires_at` gives a TTL (null = never). Expired rows are invisible to reads and removed by a periodic sweep.

-- Keys may be up to 16 KB, more than a btree entry holds (about 2.7 KB), so the table is keyed on a digest of the
-- key instead. convert_to() is only STABLE because it reads the database encoding, which never changes for a
-- database's lifetime, so this wrapper may honestly say IMMUTABLE, as a generated column requires. Queries call
-- the same function, so there is one definition of the digest.
CREATE FUNCTION shared_memory_key_hash(key text) RETURNS bytea
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT sha256(convert_to(key, 'UTF8')) $$;

CREATE TABLE shared_memory (
  project            text NOT NULL,
  environment        text NOT NULL,
  agent_type         text NOT NULL,
  session_id         text NOT NULL,
  -- The same bounds the code checks, so rows written by hand in SQL obey them too.
  key                text NOT NULL CHECK (key <> '' AND octet_length(key) <= 16384),
  key_hash           bytea NOT NULL GENERATED ALWAYS AS (shared_memory_key_hash(key)) STORED,
  value              jsonb NOT NULL,
  -- 1 for a new entry (or one written over an expired entry), +1 on every write.
  version            bigint NOT NULL CHECK (version >= 1),
  expires_at         timestamptz,
  -- The plan step that wrote the entry, when a step did; null for writes from agents and the CLI.
  written_by_plan    text,
  written_by_step    text,
  written_by_attempt integer,
  -- The writer's idempotency key, so a retried compare-and-set whose first attempt committed is recognised.
  written_by_key     text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  -- The namespace columns lead, so the primary key's index also serves listing by a namespace prefix.
  PRIMARY KEY (project, environment, agent_type, session_id, key_hash)
);

-- The expiry sweep finds expired rows without scanning the entries that never expire.
CREATE INDEX shared_memory_expires_idx ON shared_memory (expires_at) WHERE expires_at IS NOT NULL;
