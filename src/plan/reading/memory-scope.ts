/**
 * What shared memory a plan's steps may reach: the plan's own namespace, `options.memoryNamespace`, and the
 * namespaces and prefixes `options.memoryNamespaces` declares. Declarations live in the plan file, so approvers see
 * them and nothing a step computes at run time (a tool's output, a model's answer) can widen them. Pure: validation,
 * the sub-plan step (in the workflow) and the memory tools (in the activity) decide with the same code.
 */
import {
  formatNamespace,
  NAMESPACE_PARTS,
  parseNamespace,
  parseNamespacePrefix,
  PLANS_PROJECT,
  type MemoryNamespace,
  type MemoryNamespacePrefix,
} from './memory-namespace';

/** One whole namespace, or (`wildcard`) every namespace under a prefix of one to three parts: `proj/env/*`. */
export interface NamespacePattern {
  prefix: MemoryNamespacePrefix;
  wildcard: boolean;
}

/** Reads a declared namespace (`p/e/a/s`) or prefix (`p/*`, `p/e/*`, `p/e/a/*`); returns a message when unusable. */
export function parseNamespacePattern(path: string): NamespacePattern | string {
  const wildcard = path.endsWith('/*');
  const parsed = wildcard ? parseNamespacePrefix(path.slice(0, -2)) : parseNamespace(path);
  if (typeof parsed === 'string') {
    return path.includes('*') ? `namespace pattern "${path}": ${WILDCARD_RULE}` : parsed;
  }
  const parts = partsOf(parsed);
  if (wildcard && (parts.length === 0 || parts.length === NAMESPACE_PARTS.length))
    return `namespace pattern "${path}": ${WILDCARD_RULE}`;
  if (parts.some((part) => part.includes('*'))) return `namespace pattern "${path}": ${WILDCARD_RULE}`;
  if (parsed.project === PLANS_PROJECT) {
    return (
      `namespace "${path}" is in project "${PLANS_PROJECT}", which holds each plan's own namespace for that plan ` +
      'alone; share memory through a namespace of your own project'
    );
  }
  return { prefix: parsed, wildcard };
}

const WILDCARD_RULE =
  '"*" may only stand alone as the last part, after a project and at most two more parts ' +
  '("proj/*", "proj/env/agent/*")';

/** A list prefix as a pattern: four parts are one namespace, fewer are everything under them. */
export function prefixPattern(prefix: MemoryNamespacePrefix): NamespacePattern {
  return { prefix, wildcard: partsOf(prefix).length < NAMESPACE_PARTS.length };
}

/** Whether every namespace `inner` stands for is one `outer` stands for. */
export function patternCovers(outer: NamespacePattern, inner: NamespacePattern): boolean {
  const o = partsOf(outer.prefix);
  const i = partsOf(inner.prefix);
  if (!outer.wildcard) return !inner.wildcard && o.length === i.length && o.every((part, n) => part === i[n]);
  return i.length >= o.length && o.every((part, n) => part === i[n]);
}

/** Writes a pattern as a plan file would. */
export function formatPattern(pattern: NamespacePattern): string {
  return pattern.wildcard ? `${formatNamespace(pattern.prefix)}/*` : formatNamespace(pattern.prefix);
}

/** The namespaces a plan's steps may reach. */
export class MemoryScope {
  private readonly patterns: NamespacePattern[];
  /** What the plan file declared, for the refusal message. */
  private readonly declared: NamespacePattern[];

  /**
   * `own` is the plan's own namespace (null where it is not known, as in the workflow, which only checks
   * declarations); `memoryNamespace` and `memoryNamespaces` are the plan's options, already validated — anything
   * unreadable among them reaches nothing.
   */
  constructor(own: MemoryNamespace | null, memoryNamespace: string | null, memoryNamespaces: readonly string[]) {
    const declared = [...(memoryNamespace === null ? [] : [memoryNamespace]), ...memoryNamespaces]
      .map(parseNamespacePattern)
      .filter((pattern): pattern is NamespacePattern => typeof pattern === 'object');
    this.declared = declared;
    this.patterns = [...(own === null ? [] : [{ prefix: own, wildcard: false }]), ...declared];
  }

  /** Whether a step may use this namespace, or list this prefix: some one pattern must hold all of it. */
  allows(pattern: NamespacePattern): boolean {
    return this.patterns.some((mine) => patternCovers(mine, pattern));
  }

  /** Why `pattern` is refused, and how a plan file grants it. */
  refusal(pattern: NamespacePattern, what = 'shared memory namespace'): string {
    const path = formatPattern(pattern);
    const declared = this.declared.length === 0 ? 'none' : this.declared.map((p) => `"${formatPattern(p)}"`).join(', ');
    return (
      `${what} "${path}" is outside this plan's reach: its steps reach the plan's own namespace and those the plan ` +
      `declares in options.memoryNamespaces (declared: ${declared}); to use it, add "${path}" to ` +
      'options.memoryNamespaces (a whole namespace, or a prefix ending in "/*")'
    );
  }
}

function partsOf(prefix: MemoryNamespacePrefix): string[] {
  return NAMESPACE_PARTS.map((part) => prefix[part]).filter((part): part is string => part !== undefined);
}
