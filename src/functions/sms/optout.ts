// GET /sms/optout?number= (API action): whether a number has opted out, since when and how.
import type * as Comms from '../../lib';
const { apiAction, json, requiredString, normalizePhone } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async ({ params, settings, stores }) => {
  const { e164 } = normalizePhone(requiredString(params, 'number'), { defaultCountry: settings.defaultCountry });
  const record = await stores().optOuts.status(e164);
  return json({ number: e164, optedOut: record?.optedOut ?? false, ...(record ? { since: record.at, source: record.source } : {}) });
});
