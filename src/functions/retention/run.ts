// POST /retention/run?limit= (API action): deletes what is older than RETENTION_DAYS_* (Twilio's
// recordings, transcriptions, messages and media, and our own Sync records), a bounded batch per
// call, resuming where the last call stopped; call it again until `done`.
import type * as Comms from '../../lib';
const { apiAction, json, readLimit, runRetention } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async (input) => json(await runRetention(input, readLimit(input.params, 200, 1000))));
