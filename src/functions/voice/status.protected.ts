// POST /voice/status (Twilio webhook): call status callbacks, recorded per call, never backwards.
import type * as Comms from '../../lib';
const { voiceWebhook, twiml, noReply, readCallStatus } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = voiceWebhook(async ({ params, stores }) => {
  const { sid, to, status, durationSeconds, answeredBy } = readCallStatus(params);
  await stores.calls.recordStatus(sid, to, status, { durationSeconds, answeredBy });
  return twiml(noReply());
});
