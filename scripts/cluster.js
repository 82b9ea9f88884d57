// `npm run cluster`: install what is missing, then run a Temporal cluster of separate server processes on PostgreSQL
// (see src/dev/cluster-main.ts) until Ctrl-C.
'use strict';
const { ensureDeps, registerTypeScript } = require('./ensure-deps');

ensureDeps();
registerTypeScript();
require('../src/dev/cluster-main.ts').main();
