// POST /whatsapp/send (API action): through the outbound gate (consent), then free-form inside the
// user's 24-hour window or the approved template outside it (409 when there is none), tracked.
import type * as Comms from '../../lib';
const {
  idempotentAction,
  json,
  readWhatsAppSend,
  readPurpose,
  allInOrder,
  clearRecipient,
  chooseSendPath,
  sendMessage,
  twilioAddress,
  afterAccepted,
} = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = idempotentAction({ sends: 'whatsapp' }, async (input) => {
  const request = readWhatsAppSend(input.params, input.settings);
  // Consent and the window are read side by side; a refusal of consent still comes first.
  const [clearance, path] = await allInOrder([
    clearRecipient(input, {
      channel: 'whatsapp',
      to: request.to,
      trigger: 'api',
      importance: 'essential',
      purpose: readPurpose(input.params),
    }),
    chooseSendPath(input.stores, request),
  ]);
  const content =
    path === 'session'
      ? { body: request.body, mediaUrls: request.mediaUrl ? [request.mediaUrl] : [] }
      : { contentSid: request.contentSid, contentVariables: request.contentVariables };
  const message = await sendMessage(input, clearance, content);
  const address = twilioAddress('whatsapp', request.to);
  await afterAccepted(message.sid, () => input.stores.messages.track({ sid: message.sid, to: address, status: message.status }));
  return json({ sid: message.sid, status: message.status, to: address, path });
});
