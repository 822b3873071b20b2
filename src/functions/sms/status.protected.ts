// POST /sms/status (Twilio webhook): record the status without ever moving backwards, count the
// outcome once, remember carrier opt-outs (per channel), alert on a falling delivery rate, re-send
// transient failures (never to a recipient someone outside chose). Every step is idempotent, so
// Twilio retrying a callback we failed is safe.
import type * as Comms from '../../lib';
const {
  twilioWebhook,
  twiml,
  noReply,
  readStatusCallback,
  rememberCarrierOptOut,
  countOutcomeOnce,
  isFailed,
  alertOnLowDeliveryRate,
  retryTransientFailure,
} = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = twilioWebhook(async (input) => {
  const callback = readStatusCallback(input.params);
  const record = await input.stores.messages.recordStatus(callback.sid, callback.to, callback.status, callback.errorCode);
  await rememberCarrierOptOut(input, callback);
  await countOutcomeOnce(input.stores, record, callback.campaign);
  if (isFailed(record)) {
    await alertOnLowDeliveryRate(input);
    if (callback.resendable) await retryTransientFailure(input, record);
  }
  return twiml(noReply());
});
