/**
 * The stack the integration tests share: one Temporal dev server on free ports (in memory, with its Web UI) and one
 * throw-away PostgreSQL database, both started by jest's global set-up and described to test files through the
 * environment.
 */
export interface TestStack {
  temporalAddress: string;
  /** Temporal Web of that server, for the browser tests. */
  temporalUiUrl: string;
  databaseUrl: string;
  /** Path of the workflow bundle built once for the whole run. */
  workflowBundlePath: string;
}

/** The dev server setting for how many history events make Temporal suggest continue-as-new, and the suite's value. */
export const SUGGEST_CONTINUE_AS_NEW_AT = 'limit.historyCount.suggestContinueAsNew';
export const TEST_SUGGEST_CONTINUE_AS_NEW_AT = 400;

const KEYS = {
  temporalAddress: 'DP_TEST_TEMPORAL_ADDRESS',
  temporalUiUrl: 'DP_TEST_TEMPORAL_UI_URL',
  databaseUrl: 'DP_TEST_DATABASE_URL',
  workflowBundlePath: 'DP_TEST_WORKFLOW_BUNDLE',
} as const;

/** Publishes the stack to the test workers (they inherit the global set-up's environment). */
export function publishStack(stack: TestStack): void {
  for (const [field, key] of Object.entries(KEYS)) process.env[key] = stack[field as keyof TestStack] as string;
}

/** Reads the stack inside a test file. */
export function testStack(): TestStack {
  const read = (key: string) => {
    const value = process.env[key];
    if (!value)
      throw new Error(
        `${key} is not set: run integration tests through jest (npm test), whose global set-up starts the stack`,
      );
    return value;
  };
  return {
    temporalAddress: read(KEYS.temporalAddress),
    temporalUiUrl: read(KEYS.temporalUiUrl),
    databaseUrl: read(KEYS.databaseUrl),
    workflowBundlePath: read(KEYS.workflowBundlePath),
  };
}
