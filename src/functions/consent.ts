// GET /consent?number= (API action): the number's consent on every channel (SMS, WhatsApp, voice):
// whether it opted out, since when and how.
import type * as Comms from '../lib';
const { apiAction, json, requiredPhone, normalizePhone, describeConsent } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async ({ params, settings, stores }) => {
  const { e164 } = normalizePhone(requiredPhone(params, 'number'), { defaultCountry: settings.defaultCountry });
  return json({ number: e164, channels: describeConsent(await stores.consent.everyChannel(e164)) });
});
