// GET /sms/stats (API action): delivery counters, the delivery rate over the last hour and silent filtering (messages left at `sent`).
import type * as Comms from '../../lib';
const { apiAction, json, readDeliveryStats } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async ({ stores, settings }) => {
  const stats = await readDeliveryStats(stores.deliveryStats, settings.silentFilteringMinutes);
  return json({ ...stats, alert: { threshold: settings.deliveryAlertRate, minimum: settings.deliveryAlertMin } });
});
