// How steps connect: the order their dependencies give them, and the data that flows between them through
// `{{steps.…}}` references, `{{dependencies}}` and stored results.
export type { DagStep } from './graph';
export { ancestorsOf, compensationOrder, dependentsOf, descendantsOf, findCycle, findCycles } from './dag';
export { dependsTransitively } from './transitive-dependencies';
export {
  REFERENCE_SYNTAX,
  ReferenceResolutionError,
  followPath,
  malformedReferences,
  referencedSteps,
  resolveReferences,
  type MalformedReference,
  type StepReference,
} from './references';
export {
  asText,
  INTERPOLATION,
  isInterpolation,
  isStoredResult,
  STORED_RESULT,
  type InterpolationMarker,
  type StoredResultMarker,
  type StoredResultRef,
} from './stored-result';
export { withDependencyOutcomes, type DependencyOutcome } from './dependency-outcomes';
export {
  malformedSecretReferences,
  mentionsSecret,
  resolveSecretSlots,
  SECRET_SYNTAX,
  secretLocations,
  secretSlots,
  type SecretSlot,
} from './secret-references';
