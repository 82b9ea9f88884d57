/**
 * The tool name of a step that runs a nested plan as a child workflow. Reading, checking and running all need the
 * name; only checking needs the rest of what sub-plans are (checking/subplan.ts).
 */
export const SUBPLAN_TOOL = 'subplan';
