// Reading a plan: from what an author wrote to a normalised `Plan` with its defaults filled in, or the problems that
// stop it. parse.ts is left out on purpose: it pulls in `yaml`, which workflows must not bundle.
export { normalizePlan } from './normalize';
export { compactPlan, compactStep } from './compact-plan';
export { closestName, suggestion } from './closest-name';
export { MERGE_TOOL } from './merge-inputs';
export { integerIn, isFields } from './fields';
export { nonJsonParts } from './json-value';
export {
  formatNamespace,
  NAMESPACE_PARTS,
  parseNamespace,
  parseNamespacePrefix,
  planNamespace,
  PLANS_PROJECT,
  type MemoryNamespace,
  type MemoryNamespacePrefix,
} from './memory-namespace';
export {
  formatPattern,
  MemoryScope,
  parseNamespacePattern,
  patternCovers,
  prefixPattern,
  type NamespacePattern,
} from './memory-scope';
