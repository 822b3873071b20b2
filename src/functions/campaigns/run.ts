// POST /campaigns/run (API action): { id } sends the next slice within the time budget and answers
// progress; call it again until `done` (after `nextRunAfterSeconds` when given). Any number of
// drivers may call it at once: every recipient is sent exactly once, through the outbound gate.
import type * as Comms from '../../lib';
const { apiAction, json, readCampaignId, runCampaign } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async (input) => json(await runCampaign(input, input.stores.campaigns, readCampaignId(input.params))));
