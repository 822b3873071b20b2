// POST /whatsapp/send (API action): honour opt-outs, then free-form inside the user's 24-hour
// window or the approved template outside it (refused with 409 when there is none), tracked.
import type * as Comms from '../../lib';
const { apiAction, json, readWhatsAppSend, refuseOptedOut, chooseSendPath, sendMessage, whatsappAddress } =
  require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async (input) => {
  const request = readWhatsAppSend(input.params, input.settings);
  const stores = input.stores();
  const address = whatsappAddress(request.to);
  await refuseOptedOut(stores, address);
  const path = await chooseSendPath(stores, request);
  const content =
    path === 'session'
      ? { body: request.body, mediaUrls: request.mediaUrl ? [request.mediaUrl] : [] }
      : { contentSid: request.contentSid, contentVariables: request.contentVariables };
  const message = await sendMessage(input, { channel: 'whatsapp', to: request.to, ...content });
  await stores.messages.track({ sid: message.sid, to: address, status: message.status });
  return json({ sid: message.sid, status: message.status, to: address, path });
});
