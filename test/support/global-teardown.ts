import type { StackHandles } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __durablePlansStack?: StackHandles }).__durablePlansStack?.stop();
}
