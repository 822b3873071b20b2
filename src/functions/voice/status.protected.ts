// POST /voice/status (Twilio webhook): call status callbacks, recorded per call, never backwards.
// A callback, not part of the call: a failure answers 5xx so Twilio tries it again (#rc on its URL).
import type * as Comms from '../../lib';
const { twilioWebhook, twiml, noReply, readCallStatus } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = twilioWebhook(async ({ params, stores }) => {
  const { sid, to, status, durationSeconds, answeredBy } = readCallStatus(params);
  await stores.calls.recordStatus(sid, to, status, { durationSeconds, answeredBy });
  return twiml(noReply());
});
