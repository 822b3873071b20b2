// GET /verify/stats?hours= (API action): today's and yesterday's Verify counters and the last hours', to see an attack coming.
import type * as Comms from '../../lib';
const { apiAction, json, readHours, readVerifyStats } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async ({ params, stores }) => json(await readVerifyStats(stores, readHours(params))));
