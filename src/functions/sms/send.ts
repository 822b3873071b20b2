// POST /sms/send (API action): check the recipient and body, honour opt-outs, send with a status
// callback, and start tracking the message.
import type * as Comms from '../../lib';
const { apiAction, json, readSendRequest, sendMessage, refuseOptedOut, recordCarrierOptOut } =
  require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async (input) => {
  const request = readSendRequest(input.params, input.settings);
  const stores = input.stores();
  await refuseOptedOut(stores, request.to);
  const message = await sendMessage(input, { to: request.to, body: request.body, mediaUrls: request.mediaUrls, smartEncoded: request.smartEncoding }).catch(
    (error: unknown) => recordCarrierOptOut(stores, request.to, error),
  );
  const { segments, encoding } = request;
  await stores.messages.track({ sid: message.sid, to: request.to, status: message.status, segments, encoding, mediaUrls: request.mediaUrls });
  return json({ sid: message.sid, status: message.status, to: request.to, segments, encoding });
});
