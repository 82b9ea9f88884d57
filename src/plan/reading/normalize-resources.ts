/** Reads a step's `resources`: names, each a bare string (a write) or `{ name, mode }`. */
import {
  MAX_RESOURCE_NAME_CHARS,
  MAX_RESOURCES_PER_STEP,
  RESOURCE_MODES,
  type ResourceClaim,
  type ResourceMode,
} from '../resources';
import { suggestion } from './closest-name';
import { isFields, own, report, reportUnknownKeys, type Fields, type Scope } from './fields';

/** The step's claims, every problem reported: a bad name or mode, a resource named twice, too many. */
export function readResources(scope: Scope, source: Fields): ResourceClaim[] {
  const value = own(source, 'resources');
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    report(scope, 'resources', 'must be a list of resource names or { name, mode } (mode read or write)');
    return [];
  }
  if (value.length > MAX_RESOURCES_PER_STEP) {
    report(scope, 'resources', `must have at most ${MAX_RESOURCES_PER_STEP} resources`);
  }
  const claims: ResourceClaim[] = [];
  value.forEach((item, index) => {
    const claim = readClaim({ ...scope, prefix: `${scope.prefix}resources[${index}].` }, scope, index, item);
    if (claim === null) return;
    if (claims.some((other) => other.name === claim.name)) {
      report(scope, `resources[${index}]`, `names "${claim.name}" twice; give it once, with the mode it needs`);
      return;
    }
    claims.push(claim);
  });
  return claims;
}

function readClaim(at: Scope, scope: Scope, index: number, item: unknown): ResourceClaim | null {
  if (typeof item === 'string')
    return checkedName(scope, `resources[${index}]`, item) ? { name: item, mode: 'write' } : null;
  if (!isFields(item)) {
    report(scope, `resources[${index}]`, 'must be a resource name or { name, mode }');
    return null;
  }
  reportUnknownKeys(at, item, ['name', 'mode']);
  const name = own(item, 'name');
  const mode = own(item, 'mode') ?? 'write';
  let ok = typeof name === 'string' && checkedName(at, 'name', name);
  if (typeof name !== 'string') report(at, 'name', 'required: the resource, e.g. "db:orders"');
  if (!(RESOURCE_MODES as readonly unknown[]).includes(mode)) {
    const named = typeof mode === 'string' ? `"${mode}"${suggestion(mode, RESOURCE_MODES)}` : JSON.stringify(mode);
    report(at, 'mode', `unknown mode ${named}; a resource is taken for read (shared) or write (exclusive)`);
    ok = false;
  }
  return ok ? { name: name as string, mode: mode as ResourceMode } : null;
}

function checkedName(scope: Scope, field: string, name: string): boolean {
  if (name.trim() === '' || name !== name.trim()) {
    report(scope, field, 'a resource name must be non-empty, without leading or trailing spaces');
    return false;
  }
  if (name.length > MAX_RESOURCE_NAME_CHARS) {
    report(scope, field, `a resource name must be at most ${MAX_RESOURCE_NAME_CHARS} characters`);
    return false;
  }
  return true;
}
