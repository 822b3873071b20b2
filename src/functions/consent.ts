// GET /consent?number= (API action): the number's consent on every channel (SMS, WhatsApp, voice):
// whether it opted out, since when and how; what each purpose may do; the history of changes.
// POST /consent { number, channel, purpose, source, wording, at?, change? } records an opt-in with
// its proof (or an opt-out, confirmed by one text when it is new, which cancels the messages
// scheduled to the number on that channel: all of them, or the marketing ones for an opt-out of
// marketing) and answers the same.
// GET /consent?days= (no number): opt-outs and opt-ins per day (UTC, 1 to 90 days, default 14;
// oldest first), split by channel and method, from day counters (8 Sync reads whatever the days).
// Functions do not tell GET from POST: a request carrying any field of a record (source, change,
// channel, purpose, wording, at) records, so a record missing its source is a 400, never a read;
// one without "number" reads the days. One Function for all three: a build holds at most 50.
import type * as Comms from '../lib';
const {
  apiAction,
  json,
  requiredPhone,
  normalizePhone,
  readConsentChange,
  recordConsentChange,
  confirmConsentChange,
  consentState,
  readConsentDays,
  cancelScheduledAfterOptOut,
} = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

/** The fields only a record carries. */
const RECORD_FIELDS = ['source', 'change', 'channel', 'purpose', 'wording', 'at'];

export const handler = apiAction(async (input) => {
  const { params, settings, stores } = input;
  if (RECORD_FIELDS.some((name) => params[name] !== undefined)) {
    const change = readConsentChange(params, settings);
    const recorded = await recordConsentChange(stores, change);
    const { channel, purpose } = change.event;
    if (change.event.change === 'opt-out' && channel !== 'voice')
      await cancelScheduledAfterOptOut(input, channel, change.number, purpose === 'marketing' ? 'marketing' : 'all');
    const confirmation = await confirmConsentChange(input, change, recorded);
    return json({ recorded: change.event, ...(confirmation ? { confirmation } : {}), ...(await consentState(stores, change.number)) }, 201);
  }
  if (params.number === undefined) return json(await readConsentDays(stores, params));
  const { e164 } = normalizePhone(requiredPhone(params, 'number'), { defaultCountry: settings.defaultCountry });
  return json(await consentState(stores, e164));
});
