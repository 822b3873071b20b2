// POST /verify/check (from your pages; CORS for ALLOWED_ORIGINS): { to, code, verification } → 200
// { valid: true } only when the handle is this destination's and Twilio Verify approves; every
// other answer is a 4xx with { valid: false }, counted, and a wrong code looks like nothing pending.
import type * as Comms from '../../lib';
const { browserAction, json, readCheckRequest, countRefusalsAs, concealCheckVerdict, checkCode } = require(
  Runtime.getAssets()['/comms.js'].path,
) as typeof Comms;

export const handler = browserAction(async (input) => json(await checkCode(input, readCheckRequest(input.params, input.settings))), {
  conceal: concealCheckVerdict,
  onRefusal: countRefusalsAs('check_failed'),
});
