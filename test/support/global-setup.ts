import { startEphemeralStack, type EphemeralStack } from '../../src/dev/ephemeral-stack';
import { publishStack } from './test-stack';

/** One stack for the whole run; global set-up and teardown share this process, so the teardown finds it here. */
export default async function globalSetup(): Promise<void> {
  const stack = await startEphemeralStack({ label: 'test', log: (line) => process.stderr.write(`\n[test stack] ${line}`) });
  (globalThis as { __durablePlansStack?: EphemeralStack }).__durablePlansStack = stack;
  publishStack(stack);
}
