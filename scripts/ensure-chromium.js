// Makes sure the distribution's Chromium is installed: the browser tests drive it (test/support/browser.ts), and a
// fresh CI machine has none. As root it is installed with apt-get; otherwise the run stops saying what to install,
// because skipping the browser tests quietly would let Temporal Web's approval flow break unnoticed.
// Plain JavaScript with no dependencies, because it runs before they exist.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');

/** Where Debian's `chromium` package puts the browser; test/support/browser.ts launches this path. */
const CHROMIUM = '/usr/bin/chromium';

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  const install = 'apt-get update && apt-get install -y chromium';
  if (process.getuid?.() !== 0) {
    fail(`${CHROMIUM} is missing and the browser tests need it: install Debian's chromium package (sudo ${install})`);
  }
  process.stderr.write(`Installing Chromium for the browser tests (${install})…\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', 'chromium']]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0)
      fail(`apt-get ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
  }
  if (!existsSync(CHROMIUM)) fail(`apt-get installed chromium, but ${CHROMIUM} is still missing`);
}

function fail(message) {
  process.stderr.write(`npm test: ${message}.\n`);
  process.exit(1);
}

module.exports = { ensureChromium };
