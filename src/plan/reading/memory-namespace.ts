/**
 * Shared-memory namespaces, `{ project, environment, agent_type, session_id }` as the agents' shared-memory store we
 * replace had them, written as the path `project/environment/agent_type/session_id`. Pure: plans validate them, the
 * store and the CLI parse them.
 */
export interface MemoryNamespace {
  project: string;
  environment: string;
  agentType: string;
  sessionId: string;
}

/** The namespace's parts, outermost first: a prefix is any leading run of them. */
export const NAMESPACE_PARTS = ['project', 'environment', 'agentType', 'sessionId'] as const;

export type MemoryNamespacePrefix = Partial<MemoryNamespace>;

const MAX_PART_LENGTH = 200;

/** Why a namespace part is unusable, or null. */
function partProblem(part: string): string | null {
  if (part.length === 0) return 'has an empty part';
  if (part.length > MAX_PART_LENGTH) return `has a part longer than ${MAX_PART_LENGTH} characters`;
  // Control characters are exactly what this looks for.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(part)) return 'has a control character';
  return null;
}

/** Reads `project/environment/agent_type/session_id` (1 to 4 parts for a prefix); returns a message when malformed. */
export function parseNamespacePrefix(path: string): MemoryNamespacePrefix | string {
  const parts = path === '' ? [] : path.split('/');
  if (parts.length > NAMESPACE_PARTS.length)
    return `namespace "${path}" has more than 4 parts (project/environment/agent_type/session_id)`;
  const prefix: MemoryNamespacePrefix = {};
  for (const [i, part] of parts.entries()) {
    const problem = partProblem(part);
    if (problem) return `namespace "${path}" ${problem}`;
    prefix[NAMESPACE_PARTS[i]!] = part;
  }
  return prefix;
}

/** Reads a whole namespace: exactly four parts. */
export function parseNamespace(path: string): MemoryNamespace | string {
  const prefix = parseNamespacePrefix(path);
  if (typeof prefix === 'string') return prefix;
  if (Object.keys(prefix).length !== NAMESPACE_PARTS.length) {
    return `namespace "${path}" must have 4 parts: project/environment/agent_type/session_id`;
  }
  return prefix as MemoryNamespace;
}

/** Writes a namespace (or prefix) as its path. */
export function formatNamespace(ns: MemoryNamespacePrefix): string {
  return NAMESPACE_PARTS.map((part) => ns[part])
    .filter((part): part is string => part !== undefined)
    .join('/');
}

/** The project of every plan's own namespace: reserved, so no plan can declare its way into another's. */
export const PLANS_PROJECT = 'durable-plans';

/**
 * The namespace a plan's steps use when the plan names none: its own, so plans do not see each other's notes.
 * A sub-plan's id `<parent>/<step>` is written `<parent>><step>`: "/" separates namespace parts, and ">" appears in
 * no plan or step id.
 */
export function planNamespace(temporalNamespace: string, planId: string): MemoryNamespace {
  return {
    project: PLANS_PROJECT,
    environment: temporalNamespace,
    agentType: 'plan',
    sessionId: planId.replaceAll('/', '>'),
  };
}
