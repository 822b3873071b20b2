// POST /sms/status (Twilio webhook): record the status without ever moving backwards, count the
// outcome once, remember carrier opt-outs, alert on a falling delivery rate, re-send transient
// failures. Every step is idempotent, so Twilio retrying a callback we failed is always safe.
import type * as Comms from '../../lib';
const { twilioWebhook, twiml, noReply, readStatusCallback, countOutcomeOnce, isFailed, alertOnLowDeliveryRate, retryTransientFailure } =
  require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = twilioWebhook(async (input) => {
  const callback = readStatusCallback(input.params);
  const stores = input.stores();
  const record = await stores.messages.recordStatus(callback.sid, callback.to, callback.status, callback.errorCode);
  if (callback.errorCode === 21610 && callback.to) await stores.optOuts.optOut(callback.to, 'twilio-21610');
  await countOutcomeOnce(stores, record);
  if (isFailed(record)) {
    await alertOnLowDeliveryRate({ ...input, stores });
    await retryTransientFailure({ ...input, stores }, record);
  }
  return twiml(noReply());
});
