// `npm test`: install what is missing (npm dependencies; Chromium for the browser tests), check the code (types, lint,
// formatting), then run the whole jest suite (its global set-up brings up the test stack). Given jest arguments (a
// file, -t NAME), only jest runs: a quick loop for one test, while CI runs everything.
'use strict';
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const { ensureChromium } = require('./ensure-chromium');
const { ensureDeps, root } = require('./ensure-deps');

ensureDeps();
const bin = (pkg, ...path) => join(root, 'node_modules', pkg, ...path);
const checks = [
  ['types (tsc --noEmit)', [bin('typescript', 'bin', 'tsc'), '--noEmit', '-p', '.']],
  ['lint (eslint)', [bin('eslint', 'bin', 'eslint.js'), '.']],
  ['formatting (prettier --check)', [bin('prettier', 'bin', 'prettier.cjs'), '--check', '--log-level', 'warn', '.']],
  // The replay gate: today's workflow code over the recorded histories, no server (docs/development.md).
  ['replay (plan replay-check)', [join(root, 'scripts', 'plan.js'), 'replay-check', '--offline', 'test/histories']],
];
const args = process.argv.slice(2);
// Only for the whole suite: a quick loop over other tests needs no browser, and the browser tests say themselves
// what is missing.
if (args.length === 0) ensureChromium();
for (const [what, command] of args.length === 0 ? checks : []) {
  process.stderr.write(`Checking ${what}…\n`);
  const result = spawnSync(process.execPath, command, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`npm test: the ${what} check failed; see above (npm run format fixes formatting).\n`);
    process.exit(result.status || 1);
  }
}
const result = spawnSync(process.execPath, [bin('jest', 'bin', 'jest.js'), ...args], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
