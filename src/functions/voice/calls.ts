// GET /voice/calls?sid= (API action): a tracked call: status history, answered by, reminder answer.
import type * as Comms from '../../lib';
const { apiAction, json, requiredString, AppError } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async ({ params, stores }) => {
  const sid = requiredString(params, 'sid', { maxLength: 64 });
  if (!/^CA[0-9a-f]{32}$/.test(sid)) throw new AppError(400, 'invalid_parameter', '"sid" must be a call SID (CA…)');
  const call = await stores.calls.get(sid);
  if (!call) throw new AppError(404, 'not_found', `No tracked call ${sid}`);
  return json(call);
});
