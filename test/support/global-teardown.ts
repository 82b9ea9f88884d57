import type { EphemeralStack } from '../../src/dev/ephemeral-stack';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __durablePlansStack?: EphemeralStack }).__durablePlansStack?.stop();
}
