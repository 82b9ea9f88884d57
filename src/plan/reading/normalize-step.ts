import {
  A_BOOLEAN,
  A_NAME,
  A_STRING,
  integerIn,
  isFields,
  nested,
  oneOf,
  own,
  read,
  readList,
  readNullable,
  readRequired,
  report,
  reportUnknownKeys,
  type Fields,
  type Scope,
} from './fields';
import { COMPENSATION_DEFAULTS, STEP_DEFAULTS } from './defaults';
import { BATCH_INDEX, MAX_RETRIES, RETRY_DELAY_MS, STEP_ID_PATTERN, STEP_TIMEOUT_MS } from '../limits';
import { readParameters } from './read-parameters';
import { readResources } from './normalize-resources';
import { SUBPLAN_TOOL } from '../subplan-tool';
import type { CompensationSpec, Problem, StepSpec } from '../types';

const STEP_KEYS = [
  'id',
  'taskId',
  'toolName',
  'description',
  'parameters',
  'dependsOn',
  'maxRetries',
  'retryDelayMs',
  'timeoutMs',
  'requiresApproval',
  'nonRetryableErrorTypes',
  'compensate',
  'batchIndex',
  'complexity',
  'isRequiredValidateByDatabase',
  'acceptFailedDependencies',
  'local',
  'resources',
] as const;

const COMPENSATION_KEYS = ['toolName', 'parameters', 'maxRetries', 'retryDelayMs', 'timeoutMs'] as const;

const STEP_ID_RULE =
  'must be 1 to 128 letters, digits, "_" or "-", starting with a letter or digit (no dots or slashes)';

/** A step as read, with what deriving batch dependencies needs to know about it. */
export interface StepDraft {
  readonly spec: StepSpec;
  readonly scope: Scope;
  /** Whether the step names a batch at all, even a wrong one (already reported). */
  readonly batchGiven: boolean;
  /** Its fields whose value could not be read (see Unread); reports made later through `scope` add to it. */
  readonly unread: ReadonlySet<string>;
}

/** Checks one step as written and fills its defaults; `position` (e.g. `steps[3]`) names it while it has no id. */
export function normalizeStep(input: unknown, position: string, problems: Problem[]): StepDraft | null {
  if (!isFields(input)) {
    problems.push({ stepId: null, field: position, message: 'must be an object with an id and a toolName' });
    return null;
  }
  const { id, scope, unread } = identify(input, position, problems);
  reportUnknownKeys(scope, input, STEP_KEYS);
  const spec: StepSpec = {
    id,
    toolName: readRequired(scope, input, 'toolName', A_NAME) ?? '',
    description: read(scope, input, 'description', A_STRING) ?? STEP_DEFAULTS.description,
    parameters: readParameters(scope, input) ?? {},
    dependsOn: [...new Set(readList(scope, input, 'dependsOn', A_NAME, 'a list of step ids') ?? [])],
    maxRetries: read(scope, input, 'maxRetries', integerIn(MAX_RETRIES)) ?? STEP_DEFAULTS.maxRetries,
    retryDelayMs: read(scope, input, 'retryDelayMs', integerIn(RETRY_DELAY_MS)) ?? STEP_DEFAULTS.retryDelayMs,
    timeoutMs: readNullable(scope, input, 'timeoutMs', integerIn(STEP_TIMEOUT_MS)) ?? STEP_DEFAULTS.timeoutMs,
    requiresApproval: read(scope, input, 'requiresApproval', A_BOOLEAN) ?? STEP_DEFAULTS.requiresApproval,
    nonRetryableErrorTypes:
      readList(scope, input, 'nonRetryableErrorTypes', A_NAME, 'a list of error type names') ?? [],
    compensate: readCompensation(scope, input),
    batchIndex: readNullable(scope, input, 'batchIndex', integerIn(BATCH_INDEX)) ?? STEP_DEFAULTS.batchIndex,
    complexity:
      readNullable(scope, input, 'complexity', oneOf(['low', 'medium', 'high'] as const)) ?? STEP_DEFAULTS.complexity,
    isRequiredValidateByDatabase:
      read(scope, input, 'isRequiredValidateByDatabase', A_BOOLEAN) ?? STEP_DEFAULTS.isRequiredValidateByDatabase,
    acceptFailedDependencies:
      read(scope, input, 'acceptFailedDependencies', A_BOOLEAN) ?? STEP_DEFAULTS.acceptFailedDependencies,
    local: readNullable(scope, input, 'local', A_BOOLEAN) ?? STEP_DEFAULTS.local,
    resources: readResources(scope, input),
  };
  if (spec.toolName === SUBPLAN_TOOL && spec.resources.length > 0) {
    report(scope, 'resources', "a sub-plan step holds no resources itself: declare them on the sub-plan's own steps");
  }
  return { spec, scope, batchGiven: own(input, 'batchIndex') != null, unread };
}

// The batch form calls the id taskId; problems name the step by its id as soon as it has a string one.
function identify(
  source: Fields,
  position: string,
  problems: Problem[],
): { id: string; scope: Scope; unread: Set<string> } {
  const both = own(source, 'id') != null && own(source, 'taskId') != null;
  const key = own(source, 'id') == null && own(source, 'taskId') != null ? 'taskId' : 'id';
  const value = own(source, key);
  const id = typeof value === 'string' ? value : '';
  const unread = new Set<string>();
  const scope: Scope = { problems, stepId: id === '' ? null : id, prefix: id === '' ? `${position}.` : '', unread };
  if (both) report(scope, 'taskId', 'give id or taskId (its name in the batch form), not both');
  if (value == null) report(scope, 'id', 'required');
  else if (typeof value !== 'string' || !STEP_ID_PATTERN.test(value)) report(scope, key, STEP_ID_RULE);
  return { id, scope, unread };
}

function readCompensation(scope: Scope, source: Fields): CompensationSpec | null {
  const value = own(source, 'compensate');
  if (value == null) return null;
  if (!isFields(value)) {
    report(scope, 'compensate', 'must be an object with a toolName');
    return null;
  }
  const inner = nested(scope, 'compensate');
  reportUnknownKeys(inner, value, COMPENSATION_KEYS);
  return {
    toolName: readRequired(inner, value, 'toolName', A_NAME) ?? '',
    parameters: readParameters(inner, value) ?? {},
    maxRetries: read(inner, value, 'maxRetries', integerIn(MAX_RETRIES)) ?? COMPENSATION_DEFAULTS.maxRetries,
    retryDelayMs: read(inner, value, 'retryDelayMs', integerIn(RETRY_DELAY_MS)) ?? COMPENSATION_DEFAULTS.retryDelayMs,
    timeoutMs: readNullable(inner, value, 'timeoutMs', integerIn(STEP_TIMEOUT_MS)) ?? COMPENSATION_DEFAULTS.timeoutMs,
  };
}
