import { readCount, type Params } from '../http/params';
import type { Stores } from '../stores';
import { CONSENT_DAYS_KEPT, CONSENT_METHODS } from '../stores/consent-days';

/** What `GET /consent` (no number) answers when `days` is not given: two weeks. */
const DEFAULT_DAYS = 14;

/** `GET /consent?days=`: the last days' opt-outs and opt-ins by channel and method, and the methods' names. */
export async function readConsentDays(stores: Stores, params: Params, now = new Date()) {
  const days = readCount(params, 'days', DEFAULT_DAYS, CONSENT_DAYS_KEPT);
  return { methods: CONSENT_METHODS, days: await stores.consentHistory.days.read(days, now) };
}
