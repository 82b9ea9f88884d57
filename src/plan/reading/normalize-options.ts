import {
  A_BOOLEAN,
  A_NAME,
  integerIn,
  isFields,
  oneOf,
  own,
  read,
  readList,
  readNullable,
  report,
  reportUnknownKeys,
  type Expectation,
  type Fields,
  type Scope,
} from './fields';
import { parseNamespace } from './memory-namespace';
import { parseNamespacePattern } from './memory-scope';
import { defaultOnFailure, OPTION_DEFAULTS } from './defaults';
import { readNotify } from './normalize-notify';
import { MAX_PARALLEL_STEPS, PLAN_TIMEOUT_MS, PRIORITY, STEP_TIMEOUT_MS } from '../limits';
import type { PlanOptions, Problem } from '../types';

const OPTION_KEYS = [
  'requireApproval',
  'approvalTimeoutMs',
  'onApprovalTimeout',
  'autoApprove',
  'approvers',
  'requiredApprovals',
  'allowParallel',
  'maxParallelSteps',
  'stopOnError',
  'continueOnError',
  'stepTimeoutMs',
  'totalTimeoutMs',
  'onFailure',
  // Written by normalisation, so a normalised plan normalises to itself; a plan file need not say it.
  'onFailureChosen',
  'memoryNamespace',
  'memoryNamespaces',
  'mirror',
  'notify',
  'priority',
] as const;

const A_NAMESPACE: Expectation<string> = {
  test: (value): value is string => typeof value === 'string' && typeof parseNamespace(value) === 'object',
  description: 'a shared-memory namespace "project/environment/agent_type/session_id"',
};

const PATTERN_DESCRIPTION =
  'a shared-memory namespace "project/environment/agent_type/session_id" or a prefix ending in "/*"';

/** Checks a plan's options and fills their defaults; `anyCompensation` decides the default onFailure. */
export function normalizeOptions(input: unknown, anyCompensation: boolean, problems: Problem[]): PlanOptions {
  const scope: Scope = { problems, stepId: null, prefix: 'options.' };
  let source: Fields = {};
  if (isFields(input)) source = input;
  else if (input != null) report({ ...scope, prefix: '' }, 'options', 'must be an object');
  reportUnknownKeys(scope, source, OPTION_KEYS);

  const approvers = readApprovers(scope, source);
  const requiredApprovals = integerIn(
    approvers === undefined
      ? { min: 1, max: Number.MAX_SAFE_INTEGER }
      : { min: 1, max: approvers.length, note: 'the number of approvers' },
  );
  // The two switches plan files carry (StopOnError and ContinueOnError of the execution plans we replace) say one
  // thing: after a failure, keep running independent steps or stop. The normalised plan keeps one.
  const stopOnError = read(scope, source, 'stopOnError', A_BOOLEAN);
  const continueOnError = read(scope, source, 'continueOnError', A_BOOLEAN);
  const keepGoing = continueOnError === true || stopOnError === false;

  return {
    requireApproval: read(scope, source, 'requireApproval', A_BOOLEAN) ?? OPTION_DEFAULTS.requireApproval,
    approvalTimeoutMs:
      readNullable(scope, source, 'approvalTimeoutMs', integerIn(PLAN_TIMEOUT_MS)) ?? OPTION_DEFAULTS.approvalTimeoutMs,
    onApprovalTimeout:
      read(scope, source, 'onApprovalTimeout', oneOf(['reject', 'approve'] as const)) ??
      OPTION_DEFAULTS.onApprovalTimeout,
    autoApprove: read(scope, source, 'autoApprove', A_BOOLEAN) ?? OPTION_DEFAULTS.autoApprove,
    approvers: approvers ?? OPTION_DEFAULTS.approvers,
    requiredApprovals: read(scope, source, 'requiredApprovals', requiredApprovals) ?? OPTION_DEFAULTS.requiredApprovals,
    allowParallel: read(scope, source, 'allowParallel', A_BOOLEAN) ?? OPTION_DEFAULTS.allowParallel,
    maxParallelSteps:
      read(scope, source, 'maxParallelSteps', integerIn(MAX_PARALLEL_STEPS)) ?? OPTION_DEFAULTS.maxParallelSteps,
    continueOnError: keepGoing,
    stepTimeoutMs: read(scope, source, 'stepTimeoutMs', integerIn(STEP_TIMEOUT_MS)) ?? OPTION_DEFAULTS.stepTimeoutMs,
    totalTimeoutMs:
      readNullable(scope, source, 'totalTimeoutMs', integerIn(PLAN_TIMEOUT_MS)) ?? OPTION_DEFAULTS.totalTimeoutMs,
    ...readOnFailure(scope, source, anyCompensation),
    memoryNamespace: readMemoryNamespace(scope, source),
    memoryNamespaces: readMemoryNamespaces(scope, source),
    mirror: read(scope, source, 'mirror', A_BOOLEAN) ?? OPTION_DEFAULTS.mirror,
    notify: readNotify(scope, source),
    priority: read(scope, source, 'priority', integerIn(PRIORITY)) ?? OPTION_DEFAULTS.priority,
  };
}

/**
 * The failure policy, and whether the plan chose it (else it is the default, which default compensations may change).
 */
function readOnFailure(
  scope: Scope,
  source: Fields,
  anyCompensation: boolean,
): Pick<PlanOptions, 'onFailure' | 'onFailureChosen'> {
  const onFailure = read(scope, source, 'onFailure', oneOf(['compensate', 'pause', 'fail'] as const));
  const chosen = read(scope, source, 'onFailureChosen', A_BOOLEAN) ?? onFailure !== undefined;
  return { onFailure: onFailure ?? defaultOnFailure(anyCompensation), onFailureChosen: chosen };
}

/** The steps' default namespace: any whole namespace but one in the plans' own project (see memory-scope.ts). */
function readMemoryNamespace(scope: Scope, source: Fields): string | null {
  const path = readNullable(scope, source, 'memoryNamespace', A_NAMESPACE) ?? OPTION_DEFAULTS.memoryNamespace;
  // A malformed path was reported by readNullable; what the pattern reader still refuses is the reserved project.
  const refusal = path === null ? null : parseNamespacePattern(path);
  if (typeof refusal !== 'string') return path;
  report(scope, 'memoryNamespace', refusal);
  return null;
}

/** The declared namespaces and prefixes; each unusable one is a problem of its own, saying why. */
function readMemoryNamespaces(scope: Scope, source: Fields): string[] {
  const paths = own(source, 'memoryNamespaces');
  if (paths === undefined || paths === null) return [...OPTION_DEFAULTS.memoryNamespaces];
  if (!Array.isArray(paths)) {
    report(scope, 'memoryNamespaces', 'must be a list of shared-memory namespaces');
    return [];
  }
  const usable: string[] = [];
  paths.forEach((path: unknown, index) => {
    const pattern = typeof path === 'string' ? parseNamespacePattern(path) : `must be ${PATTERN_DESCRIPTION}`;
    if (typeof pattern === 'string') report(scope, `memoryNamespaces[${index}]`, pattern);
    else usable.push(path as string);
  });
  return usable;
}

function readApprovers(scope: Scope, source: Fields): string[] | undefined {
  if (own(source, 'approvers') === null) return undefined;
  const approvers = readList(scope, source, 'approvers', A_NAME, 'a list of approver names');
  if (approvers === undefined) return undefined;
  if (approvers.length === 0) {
    report(scope, 'approvers', 'must name at least one approver (leave it out to let anyone approve)');
    return undefined;
  }
  const seen = new Set<string>();
  for (const approver of approvers) {
    if (seen.has(approver)) report(scope, 'approvers', `names "${approver}" more than once`);
    seen.add(approver);
  }
  return approvers;
}
