import { userInfo } from 'node:os';
import type { CommandSpec, Parsed } from './args';
import type { CliContext } from './context';

/** One command of the `plan` command line: how it is called, and what it does with its context and arguments. */
export interface Command {
  spec: CommandSpec;
  run(ctx: CliContext, parsed: Parsed): Promise<number>;
}

/** Who a decision or cancellation is from when --by is not given: the person at the keyboard. */
export const defaultActor = () => userInfo().username || 'cli';
