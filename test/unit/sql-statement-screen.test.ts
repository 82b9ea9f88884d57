import { statementRefusal } from '../../src/tools/sql/statement-screen';
import { sqlWords } from '../../src/tools/sql/sql-words';

test('words as PostgreSQL reads them: strings, dollar quotes, comments skipped, identifiers decoded', () => {
  expect(
    sqlWords(`SELECT 'set_config' AS "A""b", $$ do $$, $t$ x $t$ /* a /* nested */ set */ FROM t -- reset`),
  ).toEqual(['select', 'as', 'a"b', 'from', 't']);
  expect(sqlWords(`SELECT E'it\\'s', U&"\\0073et_config", U&"\\+000073x", a$b$c`)).toEqual([
    'select',
    'set_config',
    'sx',
    'a$b$c',
  ]);
  expect(sqlWords(`SELECT 'open`)).toBeNull();
  expect(sqlWords(`SELECT $x$ open`)).toBeNull();
  expect(sqlWords(`SELECT /* open /* */`)).toBeNull();
  expect(sqlWords(`SELECT U&"d!0061t!+000061" UESCAPE '!'`)).toBeNull();
});

test.each([
  'SELECT 1',
  '  (SELECT 1) UNION (SELECT 2)',
  '/* why */ WITH x AS (SELECT 1) SELECT * FROM x',
  "INSERT INTO notes (text) VALUES ('SET ROLE postgres; select set_config(1)')",
  'UPDATE t SET role = $1 WHERE id = $2',
  'CREATE TABLE t (id int)',
  'SHOW search_path',
])('runs %s', (sql) => {
  expect(statementRefusal(sql)).toBeNull();
});

test.each([
  ['RESET ROLE; COPY (SELECT 1) TO PROGRAM $$id$$', '"reset" statements are not run'],
  ['SET ROLE postgres', '"set" statements are not run'],
  ['set local role postgres', '"set" statements'],
  ['SET SESSION AUTHORIZATION postgres', '"set" statements'],
  ["COPY (SELECT 1) TO PROGRAM 'id'", '"copy" statements'],
  ["DO $$ BEGIN EXECUTE 'RESET ROLE'; END $$", '"do" statements'],
  ['COMMIT', '"commit" statements'],
  ['BEGIN', '"begin" statements'],
  ['/* hidden */ -- also\n reset all', '"reset" statements'],
  ["'x' SET ROLE postgres", 'statements are not run'],
  ["select set_config('role', 'postgres', true)", '"set_config" is not allowed'],
  ["select pg_catalog.SET_CONFIG('role', 'postgres', true)", '"set_config"'],
  ["select \"set_config\"('role', 'postgres', true)", '"set_config"'],
  ["select U&\"set\\005fconfig\"('role', 'postgres', true)", '"set_config"'],
  ["UPDATE pg_settings SET setting = 'postgres' WHERE name = 'role'", '"pg_settings"'],
  ["select query_to_xml('select 1', true, false, '')", '"query_to_xml"'],
  ["select ts_stat('select to_tsvector(''x'')')", '"ts_stat"'],
  ["select * from dblink('dbname=postgres', 'select 1') as t(x int)", '"dblink"'],
  ["CREATE FUNCTION pg_temp.f() RETURNS int LANGUAGE sql SET role = postgres AS 'select 1'", '"function"'],
  ["SELECT 'unterminated", 'unterminated'],
])('refuses %s', (sql, reason) => {
  expect(statementRefusal(sql)).toContain(reason);
});
