// GET /sms/stats (API action): delivery counters and the delivery rate over the last hour.
import type * as Comms from '../../lib';
const { apiAction, json } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async ({ stores, settings }) => {
  const rate = await stores.deliveryStats.rate();
  return json({ ...rate, alert: { threshold: settings.deliveryAlertRate, minimum: settings.deliveryAlertMin } });
});
