// `npm start`: install what is missing, then bring up the local stack (see src/dev/start.ts).
'use strict';
const { ensureDeps, registerTypeScript } = require('./ensure-deps');

ensureDeps();
registerTypeScript();
require('../src/dev/start.ts').main();
