// GET /consent/days?days= (API action): opt-outs and opt-ins per day (UTC, 1 to 90 days, default
// 14; oldest first, today last), each split by channel and by method, read from the day counters
// written when a change is recorded: the same few Sync reads however many changes there were.
import type * as Comms from '../../lib';
const { apiAction, json, readConsentDays } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async ({ params, stores }) => json(await readConsentDays(stores, params)));
