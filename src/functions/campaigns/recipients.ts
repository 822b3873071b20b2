// POST /campaigns/recipients (API action): { id, page, recipients } adds one page (at most 500):
// each row normalised, de-duplicated and checked, refusals kept with their reason. Idempotent per
// page number, so a client that crashed mid-upload sends the page again. A marketing campaign's
// rows carry their proof (`consentSource`, `consentAt`), recorded as opt-ins; rows without proof
// or a recorded opt-in are refused (`no_marketing_consent`).
import type * as Comms from '../../lib';
const { apiAction, json, readCampaignId, readPage, addPage, openCampaign } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async ({ params, settings, stores }) => {
  const id = readCampaignId(params);
  const request = readPage(params);
  const campaign = await openCampaign(stores.campaigns, id);
  const summary = await addPage(stores, settings, campaign, request);
  return json({ id, page: request.page, accepted: summary.accepted, refused: summary.refused, duplicatePage: summary.duplicatePage });
});
