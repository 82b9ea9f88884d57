#!/usr/bin/env node
// The `plan` command line; runs the TypeScript sources directly so there is no build step to forget.
'use strict';
require('tsx/cjs');
require('../src/client.ts').main(process.argv.slice(2));
