// POST /sms/status (Twilio webhook): record the status without ever moving backwards and count the
// outcome once (side by side), remember carrier opt-outs (per channel), alert on a falling delivery rate, re-send
// transient failures (never to a recipient someone outside chose). Every step is idempotent, so
// Twilio retrying a callback we failed is safe.
import type * as Comms from '../../lib';
const {
  twilioWebhook,
  twiml,
  noReply,
  readStatusCallback,
  recordStatusCountingOnce,
  rememberCarrierOptOut,
  isFailed,
  alertOnLowDeliveryRate,
  retryTransientFailure,
} = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = twilioWebhook(async (input) => {
  const callback = readStatusCallback(input.params);
  const record = await recordStatusCountingOnce(input.stores, callback);
  await rememberCarrierOptOut(input, callback);
  if (isFailed(record)) {
    await alertOnLowDeliveryRate(input);
    if (callback.resendable) await retryTransientFailure(input, record);
  }
  return twiml(noReply());
});
