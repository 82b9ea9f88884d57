#!/usr/bin/env node
// The `plan` command line run from this repository's TypeScript sources (`npm run -s plan -- …`), so contributors
// have no build step to forget. The published package runs the compiled dist/plan-cli.js instead.
'use strict';
require('tsx/cjs');
require('../src/cli/main.ts').main(process.argv.slice(2));
