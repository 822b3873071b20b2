// POST /sms/status (Twilio webhook): record the status without ever moving backwards and count the
// outcome and funnel steps once, remember carrier opt-outs (per channel), alert on silent filtering
// (once per hour) and on a falling delivery rate, re-send transient failures (never to a recipient
// someone outside chose). Every step is idempotent, so Twilio retrying a callback we failed is safe.
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
  alertOnSilentFiltering,
  retryTransientFailure,
} = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = twilioWebhook(async (input) => {
  const callback = readStatusCallback(input.params);
  const record = await recordStatusCountingOnce(input.stores, callback);
  await rememberCarrierOptOut(input, callback);
  await alertOnSilentFiltering(input);
  if (isFailed(record)) {
    await alertOnLowDeliveryRate(input);
    if (callback.resendable) await retryTransientFailure(input, record);
  }
  return twiml(noReply());
});
