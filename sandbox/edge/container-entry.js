// A container's entry point: registers ts-node (transpile only, with the repository's
// tsconfig, whatever the container's working directory) and runs container-main.ts.
const path = require('node:path');

require('ts-node').register({ transpileOnly: true, project: path.resolve(__dirname, '../../tsconfig.json') });
require('./container-main');
