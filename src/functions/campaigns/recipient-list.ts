// GET /campaigns/recipient-list?id=&state=&cursor= (API action): a campaign's recipients with their
// state (pending, sent, refused with its reason, failed), about 100 per answer, with a cursor.
import type * as Comms from '../../lib';
const { apiAction, json, readCampaignId, readListState, listRecipients, optionalString } = require(
  Runtime.getAssets()['/comms.js'].path,
) as typeof Comms;

export const handler = apiAction(async ({ params, stores }) => {
  const id = readCampaignId(params);
  const state = readListState(optionalString(params, 'state', { maxLength: 10 }));
  return json(await listRecipients(stores.campaigns, id, state, optionalString(params, 'cursor', { maxLength: 10 })));
});
