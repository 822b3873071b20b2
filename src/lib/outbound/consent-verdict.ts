import type { Stores } from '../stores';
import type { Channel } from './address';
import type { ConsentRecord } from '../stores/consent';
import type { ConsentEvent } from '../stores/consent-history';
import type { Purpose } from './purpose';

/** Whether a send of a purpose may go on a channel, or the refusal's stable code. */
export type ConsentVerdict = 'allowed' | 'opted_out' | 'no_marketing_consent';

/**
 * The consent rule, from the channel's opt-out record and its latest recorded marketing opt-in:
 * an opt-out of everything (STOP) refuses every purpose; transactional needs nothing more;
 * marketing needs prior express written consent (47 CFR 64.1200(a)(2)) given after the number's
 * last change of consent on the channel, so a STOP (or an opt-out of marketing) revokes an earlier
 * opt-in and a START does not revive it (FCC 24-24, 47 CFR 64.1200(a)(10): revocation by any reasonable means).
 */
export function consentVerdict(purpose: Purpose, record: ConsentRecord | undefined, proof: ConsentEvent | undefined): ConsentVerdict {
  const optedOut = record?.optedOut === true;
  if (optedOut && record.scope !== 'marketing') return 'opted_out';
  if (purpose === 'transactional') return 'allowed';
  if (proof && (!record || proof.at > record.at)) return 'allowed';
  return optedOut ? 'opted_out' : 'no_marketing_consent';
}

/**
 * The verdict for a send to `to` on `channel` now, with the opt-out record it came from: the
 * record, and for marketing the consent history beside it (read side by side).
 */
export async function readConsentVerdict(
  stores: Stores,
  channel: Channel,
  to: string,
  purpose: Purpose,
): Promise<{ verdict: ConsentVerdict; record: ConsentRecord | undefined }> {
  const [record, history] = await Promise.all([
    stores.consent.record(channel, to),
    purpose === 'marketing' ? stores.consentHistory.read(to) : undefined,
  ]);
  return { verdict: consentVerdict(purpose, record, history?.marketing[channel]), record };
}
