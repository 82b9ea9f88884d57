import type { PoolClient } from 'pg';

/** The roles steps run as on a privileged login (made by migration 005_sql_step_roles). */
export const STEP_ROLES = { read: 'durable_plans_reader', write: 'durable_plans_writer' } as const;

/** What reaches the database server's host or other sessions; a plan's SQL must hold none of it. */
const HOST_ROLES = ['pg_execute_server_program', 'pg_read_server_files', 'pg_write_server_files', 'pg_signal_backend'];

/** How a connection's steps run: as its own login, or under a step role because the login may do too much. */
export type StepIdentity =
  | { login: string; privileges: []; stepRoles: null }
  | { login: string; privileges: string[]; stepRoles: typeof STEP_ROLES };

/**
 * Looks at the login role: without superuser, CREATEROLE (which can grant itself the host roles before PostgreSQL
 * 16) or any host role, steps run as the login. Otherwise they run under the step roles, which must exist and hold
 * none of that; else a message says what to create.
 */
export async function stepIdentity(client: PoolClient): Promise<StepIdentity | { login: string; problem: string }> {
  const { rows } = await client.query<{ login: string; privileges: string[]; roles: Record<string, string[] | null> }>(
    `SELECT current_user AS login,
            array_remove(ARRAY[CASE WHEN r.rolsuper THEN 'SUPERUSER' END,
                               CASE WHEN r.rolcreaterole THEN 'CREATEROLE' END]
              || ARRAY(SELECT h FROM unnest($1::text[]) h WHERE pg_has_role(current_user, h, 'MEMBER')), NULL)
              AS privileges,
            (SELECT jsonb_object_agg(s, CASE WHEN to_regrole(s) IS NULL OR NOT pg_has_role(current_user, s, 'MEMBER')
                                         THEN NULL
                                         ELSE to_jsonb(array_remove(
                                           ARRAY[CASE WHEN (SELECT rolsuper OR rolcreaterole FROM pg_roles
                                                            WHERE rolname = s) THEN 'SUPERUSER or CREATEROLE' END]
                                           || ARRAY(SELECT h FROM unnest($1::text[]) h
                                                    WHERE pg_has_role(s, h, 'MEMBER')), NULL)) END)
               FROM unnest($2::text[]) s) AS roles
       FROM pg_roles r WHERE r.rolname = current_user`,
    [HOST_ROLES, Object.values(STEP_ROLES)],
  );
  const { login, privileges, roles } = rows[0]!;
  if (privileges.length === 0) return { login, privileges: [], stepRoles: null };
  for (const role of Object.values(STEP_ROLES)) {
    const own = roles[role];
    if (own === null || own === undefined) {
      return {
        login,
        problem: `${holds(login, privileges)}, and role "${role}" to run steps as is missing or not granted to it`,
      };
    }
    if (own.length > 0) {
      return { login, problem: `${holds(login, privileges)}, and role "${role}" holds ${own.join(', ')} itself` };
    }
  }
  return { login, privileges, stepRoles: STEP_ROLES };
}

function holds(login: string, privileges: string[]): string {
  return `the connection logs in as "${login}", which holds ${privileges.join(', ')}`;
}

/** The SQL an operator runs to give a connection a login that needs no step role (and the roles, for the default). */
export function leastPrivilegeAdvice(connection: string): string {
  return (
    `give "${connection}" a login of its own, e.g. CREATE ROLE plans_sql LOGIN PASSWORD '...' IN ROLE ` +
    `pg_read_all_data (add pg_write_all_data for allowWrite steps), and use it in its URL; or create the step roles ` +
    "(a worker's migrations do, when its DATABASE_URL is a superuser on that server): " +
    `CREATE ROLE ${STEP_ROLES.read} NOLOGIN IN ROLE ` +
    `pg_read_all_data; CREATE ROLE ${STEP_ROLES.write} NOLOGIN IN ROLE pg_read_all_data, pg_write_all_data`
  );
}
