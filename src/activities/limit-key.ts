/**
 * A limit's key from its template: `{{tool}}`, and `{{parameters.<path>}}`, where a path may step into a URL string's
 * parts (`{{parameters.url.host}}`). What is missing renders empty, so the key is always the same for the same call.
 */
const URL_PARTS = new Set(['host', 'hostname', 'origin', 'port', 'protocol', 'pathname']);

export function renderLimitKey(template: string, toolName: string, parameters: unknown): string {
  return template.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_, path: string) => {
    if (path === 'tool') return toolName;
    const [root, ...rest] = path.split('.');
    if (root !== 'parameters') return '';
    let value: unknown = parameters;
    for (const part of rest) value = step(value, part);
    return value === undefined || value === null
      ? ''
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  });
}

function step(value: unknown, part: string): unknown {
  if (typeof value === 'string' && URL_PARTS.has(part)) {
    try {
      return new URL(value)[part as 'host'];
    } catch {
      return undefined;
    }
  }
  if (value !== null && typeof value === 'object' && Object.hasOwn(value, part))
    return (value as Record<string, unknown>)[part];
  return undefined;
}
