// POST /campaigns/cancel (API action): { id } stops further sends of a campaign.
import type * as Comms from '../../lib';
const { apiAction, json, readCampaignId, cancelCampaign } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async ({ params, stores }) => json(await cancelCampaign(stores.campaigns, readCampaignId(params))));
