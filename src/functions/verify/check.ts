// POST /verify/check (from your pages; CORS for ALLOWED_ORIGINS): { to, code } → 200 { valid: true }
// only when Twilio Verify approves; every other answer is a 4xx with { valid: false }, counted.
import type * as Comms from '../../lib';
const { browserAction, json, readCheckRequest, countRefusalsAs, concealLineVerdict, checkCode } = require(
  Runtime.getAssets()['/comms.js'].path,
) as typeof Comms;

export const handler = browserAction(
  async (input) => {
    const { to, key, code } = readCheckRequest(input.params, input.settings);
    return json(await checkCode(input, { to, key }, code));
  },
  { conceal: concealLineVerdict, onRefusal: countRefusalsAs('check_failed') },
);
