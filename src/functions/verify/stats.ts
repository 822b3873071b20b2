// GET /verify/stats (API action): today's and yesterday's Verify counters, to see an attack coming.
import type * as Comms from '../../lib';
const { apiAction, json, readVerifyStats } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async ({ stores }) => json(await readVerifyStats(stores)));
