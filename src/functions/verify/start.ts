// POST /verify/start (from your pages; CORS for ALLOWED_ORIGINS): before any paid call, in order,
// the country, our per-destination limit, the number range's hourly budget and Lookup's line
// verdict; then escalation to voice, and Twilio Verify sends the code. Every refusal is counted.
import type * as Comms from '../../lib';
const { browserAction, json, readStartRequest, countRefusalsAs, enforceDestinationLimit, enforceRangeBudget, enforceLinePolicy, chooseChannel, sendCode } =
  require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = browserAction(
  async (input) => {
    const context = { ...input, stores: input.stores };
    const request = readStartRequest(input.params, input.settings);
    const destination = await enforceDestinationLimit(context, request.to);
    if (request.channel !== 'email') {
      await enforceRangeBudget(context, request.to);
      await enforceLinePolicy(context, request);
    }
    const choice = chooseChannel(context, request, destination);
    const sent = await sendCode(context, request, choice.channel);
    return json({ ...sent, to: request.to, ...choice });
  },
  { onRefusal: countRefusalsAs('refused') },
);
