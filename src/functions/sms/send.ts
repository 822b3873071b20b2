// POST /sms/send (API action): check the recipient and body, send through the outbound gate
// (consent, geography), with a status callback, and start tracking the message (once Twilio has
// it, the answer is success: a failed tracking write is logged and repaired by the status callback).
// Marketing in quiet hours is scheduled for the window's opening when a Messaging Service can
// (202 scheduled, registered so an opt-out cancels it; 409 opted_out when one came while it was
// being scheduled, the message canceled), else refused (409 quiet_hours, retryAt).
import type * as Comms from '../../lib';
const { idempotentAction, json, readSendRequest, readPurpose, clearOrSchedule, sendMessage, rememberScheduled, afterAccepted, AppError } =
  require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = idempotentAction({ sends: 'sms' }, async (input) => {
  const { to, body, mediaUrls, smartEncoding, segments, encoding } = readSendRequest(input.params, input.settings);
  const purpose = readPurpose(input.params);
  const { clearance, sendAt } = await clearOrSchedule(input, { channel: 'sms', to, trigger: 'api', importance: 'essential', purpose });
  const message = await sendMessage(input, clearance, { body, mediaUrls, smartEncoded: smartEncoding, sendAt });
  // Registered so an opt-out can cancel it (a failed registration cancels it at Twilio and fails the request).
  const status =
    sendAt && (await rememberScheduled(input, 'sms', to, message.sid, { purpose, sendAt })) === 'canceled' ? 'canceled' : message.status;
  await afterAccepted(message.sid, () => input.stores.messages.track({ sid: message.sid, to, status, segments, encoding, mediaUrls }));
  if (status === 'canceled')
    throw new AppError(409, 'opted_out', 'The recipient opted out while the message was being scheduled: it was canceled', {
      details: { channel: 'sms', purpose, sid: message.sid },
    });
  if (!sendAt) return json({ sid: message.sid, status, to, segments, encoding });
  return json({ sid: message.sid, status, to, segments, encoding, scheduled: true, sendAt: sendAt.toISOString() }, 202);
});
