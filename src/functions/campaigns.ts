// POST /campaigns (API action): a campaign to a list — name, channel, kind, a body with {{column}}
// placeholders or a Content template, optional sendAt and quiet hours — and its plan (the sender's
// throughput, the ETA, whether Twilio's queue holds it), with `warnings` for US senders carriers
// block (unregistered 10DLC, unverified toll-free: refused with 409 unless `force`). `dryRun: true`
// answers the plan only.
import type * as Comms from '../lib';
const { idempotentAction, json, readCampaignRequest, planCampaign, newCampaignRecord } = require(
  Runtime.getAssets()['/comms.js'].path,
) as typeof Comms;

export const handler = idempotentAction({ sends: 'nothing' }, async (input) => {
  const request = readCampaignRequest(input.params, input.settings);
  // Twilio and the stores only now: a request refused above touched neither, so its Idempotency-Key stays free.
  const { definition, plan, warnings } = await planCampaign(input, request);
  const warned = warnings.length > 0 ? { warnings } : {};
  if (request.dryRun) return json({ plan, ...warned });
  await input.stores.campaigns.create(newCampaignRecord(definition));
  return json(
    { id: definition.id, name: definition.name, channel: definition.channel, kind: definition.kind, state: 'open', plan, ...warned },
    201,
  );
});
