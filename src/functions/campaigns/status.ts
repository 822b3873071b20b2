// GET /campaigns/status?id= (API action): progress, the plan, delivery joined from status
// callbacks, the delivery rate, STOPs within 24 h of a message, refusals by reason.
// GET /campaigns/status?limit=&cursor= (no id): the newest campaigns first (limit 1 to 20,
// default 5), each as above, with `nextCursor`; read from an index kept at creation (one Sync
// page, never a walk over every campaign). One Function for both: a build holds at most 50.
import type * as Comms from '../../lib';
const { apiAction, json, readCampaignId, campaignStatus, listCampaigns } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async ({ params, settings, stores }) =>
  json(
    params.id === undefined
      ? await listCampaigns(stores.campaigns, settings, params)
      : await campaignStatus(stores.campaigns, settings, readCampaignId(params)),
  ),
);
