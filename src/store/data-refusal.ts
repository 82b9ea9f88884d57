/**
 * Whether PostgreSQL refused a statement for the data it carries — SQLSTATE class 22 (data exception), 23 (integrity
 * violation) or 54 (a value over a limit, such as a jsonb document over 255 MB) — so that sending the same data again
 * cannot succeed. Connection and server trouble is something else, and worth retrying.
 */
export function isDataRefusal(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23|54)/.test(code);
}

/** `SQLSTATE: message` of a PostgreSQL error, for reports. */
export function describeRefusal(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return `${typeof code === 'string' ? `${code}: ` : ''}${err instanceof Error ? err.message : String(err)}`;
}
