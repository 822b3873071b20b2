// POST /sms/send (API action): check the recipient and body, send through the outbound gate
// (consent, geography), with a status callback, and start tracking the message (once Twilio has
// it, the answer is success: a failed tracking write is logged and repaired by the status callback).
import type * as Comms from '../../lib';
const { idempotentAction, json, readSendRequest, readPurpose, clearAndSend, afterAccepted } = require(
  Runtime.getAssets()['/comms.js'].path,
) as typeof Comms;

export const handler = idempotentAction({ sends: 'sms' }, async (input) => {
  const { to, body, mediaUrls, smartEncoding, segments, encoding } = readSendRequest(input.params, input.settings);
  const message = await clearAndSend(
    input,
    { channel: 'sms', to, trigger: 'api', importance: 'essential', purpose: readPurpose(input.params) },
    { body, mediaUrls, smartEncoded: smartEncoding },
  );
  await afterAccepted(message.sid, () =>
    input.stores.messages.track({ sid: message.sid, to, status: message.status, segments, encoding, mediaUrls }),
  );
  return json({ sid: message.sid, status: message.status, to, segments, encoding });
});
