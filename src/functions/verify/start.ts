// POST /verify/start (from your pages; CORS for ALLOWED_ORIGINS): before any paid call, in order,
// the country, our per-destination limit, the number range's hourly budget and Lookup's line
// verdict; then escalation to voice, and Twilio Verify sends the code. Every refusal is counted.
import type * as Comms from '../../lib';
const {
  browserAction,
  json,
  readStartRequest,
  countRefusalsAs,
  concealLineVerdict,
  enforceDestinationLimit,
  enforceRangeBudget,
  enforceLinePolicy,
  chooseChannel,
  sendCode,
} = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = browserAction(
  async (input) => {
    const request = readStartRequest(input.params, input.settings);
    const destination = await enforceDestinationLimit(input, request.key);
    if (request.channel !== 'email') {
      await enforceRangeBudget(input, request.to);
      await enforceLinePolicy(input, request);
    }
    const choice = chooseChannel(input, request, destination);
    const sent = await sendCode(input, request, choice.channel);
    return json({ ...sent, to: request.to, ...choice });
  },
  { conceal: concealLineVerdict, onRefusal: countRefusalsAs('refused') },
);
