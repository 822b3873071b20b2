import type { PhoneNumberRecord } from '../api/incoming-phone-numbers';
import type { Clock } from '../clock';
import { iso8601 } from '../dates';
import type { SenderMps } from '../options';
import { geoOf } from '../phone/geo';
import { isSid, newSid } from '../sids';
import type { ShortCodeRecord } from './short-codes';

export const MESSAGING_BASE_URL = 'https://messaging.twilio.com/v1';

export interface MessagingServiceRecord {
  readonly sid: string;
  readonly friendlyName: string;
  /** Creation order; list order and page cursors use it. */
  readonly seq: number;
  readonly dateCreated: number;
  readonly dateUpdated: number;
  /** The phone numbers of the sender pool, in the order they are picked. */
  readonly senders: readonly PhoneNumberRecord[];
  /** The short codes of the sender pool (picked before the numbers for SMS). */
  readonly shortCodes: readonly ShortCodeRecord[];
  /**
   * Sandbox setting: this service's messages-per-second by sender type where it differs from the
   * account's (e.g. a registered 10DLC campaign's long-code throughput); the control plane may change it.
   */
  senderMps: Partial<SenderMps>;
}

export interface MessagingServiceSeed {
  sid?: string;
  friendlyName?: string;
  /** E.164 numbers and short codes of the account in the sender pool, in pick order; default all of them. */
  senders?: readonly string[];
  senderMps?: Partial<SenderMps>;
}

/**
 * The account's Messaging Services, seeded at start-up, each with the account's numbers (all of
 * them, or the seed's `senders`) in its sender pool. The first one is the default
 * (`Sandbox.messagingServiceSid`).
 */
export class MessagingServiceStore {
  private readonly bySid = new Map<string, MessagingServiceRecord>();
  readonly defaultService: MessagingServiceRecord;

  constructor(
    clock: Clock,
    seeds: readonly MessagingServiceSeed[],
    senders: readonly PhoneNumberRecord[],
    shortCodes: readonly ShortCodeRecord[] = [],
  ) {
    const now = clock.now();
    const all = seeds.length > 0 ? seeds : [{ friendlyName: 'Sandbox Messaging Service' }];
    all.forEach((seed, i) => {
      const sid = seed.sid ?? newSid('MG');
      if (!isSid(sid, 'MG')) throw new RangeError(`messagingServices[${i}].sid must be MG + 32 hex digits, got ${sid}`);
      if (this.bySid.has(sid)) throw new RangeError(`messagingServices[${i}].sid ${sid} is given twice`);
      const friendlyName = seed.friendlyName ?? `Sandbox Messaging Service ${i + 1}`;
      const named = seed.senders ?? [...shortCodes.map((c) => c.shortCode), ...senders.map((n) => n.phoneNumber)];
      const pool: PhoneNumberRecord[] = [];
      const codes: ShortCodeRecord[] = [];
      for (const name of named) {
        const number = senders.find((n) => n.phoneNumber === name);
        const code = shortCodes.find((c) => c.shortCode === name);
        if (number) pool.push(number);
        else if (code) codes.push(code);
        else throw new RangeError(`messagingServices[${i}].senders: ${name} is not one of phoneNumbers or shortCodes`);
      }
      this.bySid.set(sid, {
        sid,
        friendlyName,
        seq: i + 1,
        dateCreated: now,
        dateUpdated: now,
        senders: pool,
        shortCodes: codes,
        senderMps: { ...(seed.senderMps ?? {}) },
      });
    });
    this.defaultService = [...this.bySid.values()][0];
  }

  get(sid: string): MessagingServiceRecord | undefined {
    return this.bySid.get(sid);
  }

  has(sid: string): boolean {
    return this.bySid.has(sid);
  }

  /** In creation order. */
  all(): MessagingServiceRecord[] {
    return [...this.bySid.values()];
  }

  /** SIDs of the services whose sender pool holds `phoneNumber` (bare E.164, or a short code), in creation order. */
  servicesOf(phoneNumber: string): string[] {
    return this.all()
      .filter((s) => s.senders.some((n) => n.phoneNumber === phoneNumber) || s.shortCodes.some((c) => c.shortCode === phoneNumber))
      .map((s) => s.sid);
  }
}

/**
 * The senders a service may pick for a message, in pick order (bare: no `whatsapp:`). SMS: the
 * short codes first, as Twilio prioritises a short code over long codes for its region (support
 * article "How does Twilio Distribute Messaging Traffic among numbers in my Messaging Service?",
 * https://support.twilio.com/hc/en-us/articles/223133727), then the numbers; WhatsApp: the numbers.
 */
export function senderPool(service: MessagingServiceRecord, whatsApp: boolean): string[] {
  const numbers = service.senders.map((n) => n.phoneNumber);
  return whatsApp ? numbers : [...service.shortCodes.map((c) => c.shortCode), ...numbers];
}

export function messagingServiceUrl(sid: string): string {
  return `${MESSAGING_BASE_URL}/Services/${sid}`;
}

/** The Messaging Service resource as Messaging v1 serializes it. */
export function messagingServiceResource(accountSid: string, s: MessagingServiceRecord): Record<string, unknown> {
  const url = messagingServiceUrl(s.sid);
  return {
    account_sid: accountSid,
    area_code_geomatch: true,
    date_created: iso8601(s.dateCreated),
    date_updated: iso8601(s.dateUpdated),
    fallback_method: 'POST',
    fallback_to_long_code: true,
    fallback_url: null,
    friendly_name: s.friendlyName,
    inbound_method: 'POST',
    inbound_request_url: null,
    links: {
      phone_numbers: `${url}/PhoneNumbers`,
      short_codes: `${url}/ShortCodes`,
      alpha_senders: `${url}/AlphaSenders`,
      messages: `${url}/Messages`,
      us_app_to_person: `${url}/Compliance/Usa2p`,
      us_app_to_person_usecases: `${url}/Compliance/Usa2p/Usecases`,
      channel_senders: `${url}/ChannelSenders`,
      destination_alpha_senders: `${url}/DestinationAlphaSenders`,
    },
    mms_converter: true,
    scan_message_content: 'inherit',
    sid: s.sid,
    smart_encoding: true,
    status_callback: null,
    sticky_sender: true,
    synchronous_validation: true,
    url,
    us_app_to_person_registered: false,
    use_inbound_webhook_on_number: true,
    usecase: 'undeclared',
    // The spec: "Can be an integer from `1` to `36,000`. Default value is `36,000`" (the queue limit, see messaging/throughput).
    validity_period: 36000,
  };
}

/** A sender-pool short code as Messaging v1 serializes it (`/Services/{MG}/ShortCodes`). */
export function serviceShortCodeResource(accountSid: string, s: MessagingServiceRecord, c: ShortCodeRecord): Record<string, unknown> {
  return {
    account_sid: accountSid,
    capabilities: ['SMS'],
    country_code: 'US',
    date_created: iso8601(c.dateCreated),
    date_updated: iso8601(c.dateUpdated),
    service_sid: s.sid,
    short_code: c.shortCode,
    sid: c.sid,
    url: `${messagingServiceUrl(s.sid)}/ShortCodes/${c.sid}`,
  };
}

/** A sender-pool phone number as Messaging v1 serializes it (`/Services/{MG}/PhoneNumbers`). */
export function servicePhoneNumberResource(accountSid: string, s: MessagingServiceRecord, n: PhoneNumberRecord): Record<string, unknown> {
  return {
    account_sid: accountSid,
    capabilities: ['SMS', 'MMS', 'Voice'],
    country_code: geoOf(n.phoneNumber).Country,
    date_created: iso8601(n.dateCreated),
    date_updated: iso8601(n.dateUpdated),
    phone_number: n.phoneNumber,
    service_sid: s.sid,
    sid: n.sid,
    url: `${messagingServiceUrl(s.sid)}/PhoneNumbers/${n.sid}`,
  };
}
