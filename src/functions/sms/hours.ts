// GET /sms/hours?hours= (API action): the delivery funnel and outcomes per clock hour, messages left at `sent`, and the top error codes, from the hourly counters.
import type * as Comms from '../../lib';
const { apiAction, json, readDeliveryHours, readHours } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async ({ params, stores, settings }) =>
  json(await readDeliveryHours(stores, readHours(params), settings.silentFilteringMinutes)),
);
