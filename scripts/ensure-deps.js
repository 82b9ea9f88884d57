// Installs the npm dependencies when they are missing or older than package-lock.json.
// Plain JavaScript with no dependencies, because it runs before they exist.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');

function ensureDeps() {
  const lock = join(root, 'package-lock.json');
  const installed = join(root, 'node_modules', '.package-lock.json');
  if (existsSync(installed) && (!existsSync(lock) || statSync(installed).mtimeMs >= statSync(lock).mtimeMs)) return;
  // Not `npm ci`: it refuses a lock file that lacks other platforms' optional binaries (@swc/core-darwin-*, ...),
  // and registries that serve only this platform's packages make exactly such lock files. `npm install --no-save`
  // installs the locked versions and leaves package-lock.json untouched.
  process.stderr.write('Installing npm dependencies (npm install --no-save)…\n');
  const result = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`npm install failed (exit ${result.status}); fix the error above and run again.\n`);
    process.exit(result.status || 1);
  }
}

/** Makes `require('./x.ts')` work in this process (TypeScript run directly, no build step). */
function registerTypeScript() {
  require('tsx/cjs');
}

module.exports = { ensureDeps, registerTypeScript, root };
