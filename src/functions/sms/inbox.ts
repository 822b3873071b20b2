// GET /sms/inbox?sid= (API action): one inbound message kept for the team (not a keyword): sender,
// body and media. What a PHI-mode forward links to instead of carrying the text.
import type * as Comms from '../../lib';
const { apiAction, json, requiredString, AppError } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async ({ params, stores }) => {
  const sid = requiredString(params, 'sid', { maxLength: 64 });
  if (!/^(SM|MM)[0-9a-f]{32}$/.test(sid)) throw new AppError(400, 'invalid_parameter', '"sid" must be a message SID (SM… or MM…)');
  const message = await stores.inbox.get(sid);
  if (!message) throw new AppError(404, 'not_found', `No kept inbound message ${sid} (it may have expired)`);
  return json({ message });
});
