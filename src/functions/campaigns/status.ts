// GET /campaigns/status?id= (API action): progress, the plan, delivery joined from status
// callbacks, the delivery rate, STOPs within 24 h of a message, refusals by reason.
import type * as Comms from '../../lib';
const { apiAction, json, readCampaignId, campaignStatus } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async ({ params, settings, stores }) =>
  json(await campaignStatus(stores.campaigns, settings, readCampaignId(params))),
);
