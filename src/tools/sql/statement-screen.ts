import { sqlWords } from './sql-words';

/** Statements a step may run: queries and row or schema changes, never session, role or transaction control. */
const STATEMENTS = new Set([
  'select',
  'with',
  'values',
  'table',
  'show',
  'explain',
  'insert',
  'update',
  'delete',
  'merge',
  'create',
  'alter',
  'drop',
  'truncate',
  'comment',
]);

/**
 * Words refused anywhere. A step's role is set with SET LOCAL ROLE; on a connection whose login may take any role
 * (a superuser), whatever changes a setting (set_config, pg_settings) or runs SQL given as text (query_to_xml,
 * ts_stat, dblink, a function or trigger of the step's own making) could take the login's role back.
 */
const REFUSED_WORDS = new Set([
  'set_config',
  'pg_settings',
  'query_to_xml',
  'query_to_xmlschema',
  'query_to_xml_and_xmlschema',
  'ts_stat',
  'ts_rewrite',
  'function',
  'procedure',
  'trigger',
  'rule',
]);

/** Why a step's statement is refused, or null when it may run (PostgreSQL's privileges still apply). */
export function statementRefusal(sql: string): string | null {
  const words = sqlWords(sql);
  if (words === null) return 'the statement has an unterminated quote or comment, or a UESCAPE clause';
  // The first word must open the statement: only blanks, comments and parentheses may come before it.
  const opening = sql.replace(/^(?:\s|\(|--[^\n]*|\/\*(?:(?!\/\*)[\s\S])*?\*\/)*/, '').toLowerCase();
  const first = words[0] !== undefined && opening.startsWith(words[0]) ? words[0] : undefined;
  if (first === undefined || !STATEMENTS.has(first)) {
    return (
      `"${first ?? sql.trim().slice(0, 20)}" statements are not run by sql_query (role, session and transaction ` +
      `control are the tool's own); it runs ${[...STATEMENTS].map((s) => s.toUpperCase()).join(', ')}`
    );
  }
  const refused = words.find((word) => REFUSED_WORDS.has(word) || word.startsWith('dblink'));
  return refused === undefined
    ? null
    : `"${refused}" is not allowed in sql_query: it could change the role the step runs as, or run SQL given as text`;
}
