// Found by every `plan` command run in this folder (or below it): these tools join the built-ins for validation,
// `plan tools`, the planner and `plan worker`.
import { defineConfig } from 'durable-plans';
import { creditAccount } from './src/tools/credit-account';
import { customerLookup } from './src/tools/customer-lookup';

export default defineConfig({
  tools: [customerLookup, creditAccount],
});
