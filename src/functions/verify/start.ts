// POST /verify/start (from your pages; CORS for ALLOWED_ORIGINS): before any paid call, in order,
// the country, our per-destination limit, the number range's hourly budget and Lookup's line
// verdict; then escalation to voice, and Twilio Verify sends the code. Every refusal is counted.
// Independent reads and writes go side by side: 4 sequential Twilio requests for a number seen
// before, 5 the first time (see bench/results/latency.json).
import type * as Comms from '../../lib';
const {
  browserAction,
  json,
  readStartRequest,
  countRefusalsAs,
  concealLineVerdict,
  readLimits,
  enforceLimits,
  enforceLinePolicy,
  chooseChannel,
  handleForStart,
  sendCode,
} = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = browserAction(
  async (input) => {
    const request = readStartRequest(input.params, input.settings);
    const limits = await readLimits(input, request);
    const reserved = await enforceLimits(input, request, limits);
    const line = await enforceLinePolicy(input, request, reserved);
    const choice = chooseChannel(input, request, reserved.record);
    const verification = handleForStart(input, request.to, choice.channel);
    const sent = await sendCode(input, request, choice.channel, reserved, line);
    return json({ ...sent, to: request.to, ...choice, verification });
  },
  { conceal: concealLineVerdict, onRefusal: countRefusalsAs('refused') },
);
