// GET /sms/hours?hours= (API action): delivery outcomes per clock hour and the top error codes, from the hourly counters.
import type * as Comms from '../../lib';
const { apiAction, json, readDeliveryHours, readHours } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async ({ params, stores }) => json(await readDeliveryHours(stores, readHours(params))));
