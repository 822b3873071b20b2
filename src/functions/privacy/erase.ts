// POST /privacy/erase { number, limit? } (API action): deletes one person's messages (both ways,
// SMS and WhatsApp, with media), calls with their recordings and transcriptions, and our own records
// of the number, keeping only the consent record; bounded per call, call again until `done`.
import type * as Comms from '../../lib';
const { apiAction, json, readLimit, requiredPhone, normalizePhone, eraseNumber } = require(
  Runtime.getAssets()['/comms.js'].path,
) as typeof Comms;

export const handler = apiAction(async (input) => {
  const { e164 } = normalizePhone(requiredPhone(input.params, 'number'), { defaultCountry: input.settings.defaultCountry });
  return json({ number: e164, ...(await eraseNumber(input, e164, readLimit(input.params, 200, 1000))) });
});
