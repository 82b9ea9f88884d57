import { isFields } from '../reading/fields';
import { MemoryScope, parseNamespacePattern } from '../reading/memory-scope';
import type { PlanOptions } from '../types';

/**
 * Why a sub-plan may not have the shared memory it asks for (its `memoryNamespace`, set by the step's `namespace`,
 * and its `memoryNamespaces`), or null. A child reaches its own namespace and, of what it asks for, only what its
 * parent may reach: a plan written at run time (by a model, from a tool's output) can never see more than the plan
 * file that started it declared.
 */
export function subplanMemoryRefusal(
  parent: Pick<PlanOptions, 'memoryNamespace' | 'memoryNamespaces'>,
  nested: Record<string, unknown>,
): string | null {
  const scope = new MemoryScope(null, parent.memoryNamespace, parent.memoryNamespaces ?? []);
  const options = isFields(nested.options) ? nested.options : {};
  const declared: unknown[] = Array.isArray(options.memoryNamespaces) ? options.memoryNamespaces : [];
  for (const path of [options.memoryNamespace, ...declared]) {
    // What is not a usable pattern is the child's validation's to report.
    const pattern = typeof path === 'string' ? parseNamespacePattern(path) : null;
    if (pattern === null || typeof pattern === 'string' || scope.allows(pattern)) continue;
    return `a sub-plan may reach only its own namespace and what its parent may: ${scope.refusal(pattern)}`;
  }
  return null;
}
