// `npm run build` (and `prepack`): compiles src/ into dist/ — JavaScript, declarations, source maps — copies the SQL
// migrations beside the code that reads them, and adds the ESM entry. Plain JavaScript: it runs before anything is
// built.
'use strict';
const { spawnSync } = require('node:child_process');
const { cpSync, mkdirSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { ensureDeps, root } = require('./ensure-deps');

ensureDeps();
const dist = join(root, 'dist');
// A clean folder, so a file removed from src/ cannot linger in the package.
rmSync(dist, { recursive: true, force: true });
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
  cwd: root,
  stdio: 'inherit',
});
if (compiled.status !== 0) {
  process.stderr.write('build: tsc failed; see the errors above.\n');
  process.exit(compiled.status || 1);
}
mkdirSync(join(dist, 'store', 'migrations'), { recursive: true });
cpSync(join(root, 'src', 'store', 'migrations'), join(dist, 'store', 'migrations'), { recursive: true });
// ESM importers get the very same CommonJS module (one copy of every class, so `instanceof` holds across both):
// Node finds its named exports statically, and TypeScript reads the same declarations.
writeFileSync(join(dist, 'index.mjs'), "export * from './index.js';\n");
writeFileSync(join(dist, 'index.d.mts'), "export * from './index.js';\n");
process.stderr.write('build: dist/ ready\n');
