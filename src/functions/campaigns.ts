// POST /campaigns (API action): a campaign to a list — name, channel, kind, a body with {{column}}
// placeholders or a Content template, optional sendAt and quiet hours — and its plan (the sender's
// throughput, the ETA, whether Twilio's queue holds it). `dryRun: true` answers the plan only.
import type * as Comms from '../lib';
const { idempotentAction, json, readCampaignRequest, planFor, newCampaignRecord } = require(
  Runtime.getAssets()['/comms.js'].path,
) as typeof Comms;

export const handler = idempotentAction({ sends: 'nothing' }, async (input) => {
  const { definition, expectedRecipients, dryRun } = readCampaignRequest(input.params, input.settings);
  const plan = planFor(input.settings, expectedRecipients ?? 0, definition.mps);
  if (dryRun) return json({ plan });
  // The stores only now: a request refused above never touched Sync, so its Idempotency-Key stays free.
  await input.stores.campaigns.create(newCampaignRecord(definition));
  return json({ id: definition.id, name: definition.name, channel: definition.channel, kind: definition.kind, state: 'open', plan }, 201);
});
