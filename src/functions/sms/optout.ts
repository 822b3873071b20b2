// GET /sms/optout?number= (API action, kept for existing callers; GET /consent shows every
// channel): whether a number has opted out of SMS, since when and how.
import type * as Comms from '../../lib';
const { apiAction, json, requiredPhone, normalizePhone, describeConsent } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async ({ params, settings, stores }) => {
  const { e164 } = normalizePhone(requiredPhone(params, 'number'), { defaultCountry: settings.defaultCountry });
  return json({ number: e164, ...describeConsent({ sms: await stores.consent.record('sms', e164) }).sms });
});
