-- The roles sql_query steps run as (SET LOCAL ROLE) when their connection logs in with more than it should hand a
-- plan (the dev default is the `postgres` superuser): NOLOGIN, reading every table, writing ordinary tables' rows,
-- nothing on the server's host. Roles belong to the cluster, not this database, so another database's migration may
-- have made them already. A login that may not create or grant them (or a server before 14, without
-- pg_read_all_data) skips this, and sql_query says what to run instead when a connection needs them.
DO $$
BEGIN
  IF to_regrole('pg_read_all_data') IS NULL OR NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles
                                                     WHERE rolname = current_user) THEN
    RAISE NOTICE 'sql_query step roles not created: needs PostgreSQL 14+ and a login that may create roles';
    RETURN;
  END IF;
  BEGIN
    CREATE ROLE durable_plans_reader NOLOGIN;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- made meanwhile by another database's migration
  END;
  BEGIN
    CREATE ROLE durable_plans_writer NOLOGIN;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
  IF NOT pg_has_role('durable_plans_reader', 'pg_read_all_data', 'MEMBER') THEN
    GRANT pg_read_all_data TO durable_plans_reader;
  END IF;
  IF NOT pg_has_role('durable_plans_writer', 'pg_read_all_data', 'MEMBER') THEN
    GRANT pg_read_all_data TO durable_plans_writer;
  END IF;
  IF NOT pg_has_role('durable_plans_writer', 'pg_write_all_data', 'MEMBER') THEN
    GRANT pg_write_all_data TO durable_plans_writer;
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'sql_query step roles not created: %', SQLERRM;
END
$$;
