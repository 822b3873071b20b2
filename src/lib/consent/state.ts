import { CHANNELS, type Channel } from '../outbound/address';
import { consentVerdict, type ConsentVerdict } from '../outbound/consent-verdict';
import type { Stores } from '../stores';
import { describeConsent } from '../stores/consent';
import type { ConsentEvent } from '../stores/consent-history';

interface PurposeState {
  transactional: ConsentVerdict;
  marketing: ConsentVerdict;
  /** The opt-in that allows marketing (or the latest one, when a later change revoked it). */
  marketingOptIn?: Pick<ConsentEvent, 'source' | 'wording' | 'at' | 'recordedAt'>;
}

/**
 * `GET /consent?number=`: per channel, the opt-out state (as before), what each purpose may do now
 * (the gate's own verdict), and the number's history, oldest first.
 */
export async function consentState(stores: Stores, number: string) {
  const [records, history] = await Promise.all([stores.consent.everyChannel(number), stores.consentHistory.read(number)]);
  const purposes = Object.fromEntries(
    CHANNELS.map((channel): [Channel, PurposeState] => {
      const proof = history.marketing[channel];
      return [
        channel,
        {
          transactional: consentVerdict('transactional', records[channel], undefined),
          marketing: consentVerdict('marketing', records[channel], proof),
          ...(proof
            ? { marketingOptIn: { source: proof.source, wording: proof.wording, at: proof.at, recordedAt: proof.recordedAt } }
            : {}),
        },
      ];
    }),
  ) as Record<Channel, PurposeState>;
  return { number, channels: describeConsent(records), purposes, history: history.events };
}
