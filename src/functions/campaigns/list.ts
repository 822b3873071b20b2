// GET /campaigns/list?limit=&cursor= (API action): the newest campaigns first (limit 1 to 20,
// default 5), each with its progress, plan, delivery, STOPs within 24 h and refusals, as
// /campaigns/status answers it; `nextCursor` for the next page. Read from an index kept at
// creation: one Sync page, never a walk over every campaign.
import type * as Comms from '../../lib';
const { apiAction, json, listCampaigns } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async ({ params, settings, stores }) => json(await listCampaigns(stores.campaigns, settings, params)));
