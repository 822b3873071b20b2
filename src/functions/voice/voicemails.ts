// GET /voice/voicemails?limit= (API action): recent voicemails with their transcriptions, newest first.
import type * as Comms from '../../lib';
const { apiAction, json, readLimit } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async ({ params, stores }) =>
  json({ voicemails: await stores.voicemails.recent(readLimit(params, 20, 100)) }),
);
