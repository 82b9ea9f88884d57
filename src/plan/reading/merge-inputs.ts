import { report } from './fields';
import type { StepDraft } from './normalize-step';
import type { StepSpec } from '../types';
import { isUnread } from './unread';

/** The tool that fuses results (src/tools/fusion/merge.ts), named here because plans read its steps specially. */
export const MERGE_TOOL = 'merge';

/**
 * A `merge` step without `inputs` merges the outcomes of the steps it depends on, in dependsOn order: it reads as
 * `inputs: "{{dependencies}}"`, and so runs, resolves and is checked like a step that says so. One that depends on
 * nothing has nothing to merge, which is reported.
 */
export function withMergeInputs(spec: StepSpec, draft: StepDraft): StepSpec {
  if (spec.toolName !== MERGE_TOOL || Object.hasOwn(spec.parameters, 'inputs')) return spec;
  // Batches are dependencies too; parameters or a dependsOn that could not be read are reported already.
  const { unread, scope } = draft;
  const unknown = ['dependsOn', 'batchIndex', 'parameters'].some((field) => isUnread(unread, scope.prefix + field));
  if (spec.dependsOn.length === 0 && !unknown) {
    report(
      scope,
      'dependsOn',
      'merge has nothing to merge: give parameters.inputs, or dependsOn (without inputs, merge takes the outcomes ' +
        'of the steps it depends on)',
    );
  }
  return { ...spec, parameters: { ...spec.parameters, inputs: '{{dependencies}}' } };
}
