// `npm test`: install what is missing, then run the whole jest suite (its global set-up brings up the test stack).
'use strict';
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const { ensureDeps, root } = require('./ensure-deps');

ensureDeps();
const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const result = spawnSync(process.execPath, [jest, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
