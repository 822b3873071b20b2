// POST /usage/trigger (Twilio webhook: a Usage Trigger's CallbackUrl): pauses non-essential sends
// (campaigns, auto-replies, HELP and router replies, IVR texts) until POST /usage/resume. Acts once
// per IdempotencyToken; a second trigger while paused keeps the first pause.
import type * as Comms from '../../lib';
const { twilioWebhook, json, readUsageTriggerCallback, pauseForTrigger } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = twilioWebhook(async (input) => {
  const callback = readUsageTriggerCallback(input.params);
  const result = await pauseForTrigger(input, callback);
  return json(result.outcome === 'duplicate' ? { paused: true, duplicate: true } : { paused: true, since: result.pause.since });
});
