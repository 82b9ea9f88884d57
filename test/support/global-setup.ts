import { startEphemeralStack, type EphemeralStack } from '../../src/dev/ephemeral-stack';
import { publishStack, SUGGEST_CONTINUE_AS_NEW_AT, TEST_SUGGEST_CONTINUE_AS_NEW_AT } from './test-stack';

/** One stack for the whole run; global set-up and teardown share this process, so the teardown finds it here. */
export default async function globalSetup(): Promise<void> {
  const stack = await startEphemeralStack({
    label: 'test',
    log: (line) => process.stderr.write(`\n[test stack] ${line}`),
    // Temporal suggests continue-as-new at 4,096 events by default; suggesting it far sooner lets plans of a few
    // hundred steps cross run boundaries in the suite (test/integration/continue-as-new.test.ts).
    dynamicConfig: { [SUGGEST_CONTINUE_AS_NEW_AT]: TEST_SUGGEST_CONTINUE_AS_NEW_AT },
  });
  (globalThis as { __durablePlansStack?: EphemeralStack }).__durablePlansStack = stack;
  publishStack(stack);
}
