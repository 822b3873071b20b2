import type { PhoneNumberRecord } from '../api/incoming-phone-numbers';
import type { Clock } from '../clock';
import { iso8601 } from '../dates';
import { geoOf } from '../phone/geo';
import { isSid, newSid } from '../sids';

export const MESSAGING_BASE_URL = 'https://messaging.twilio.com/v1';

export interface MessagingServiceRecord {
  readonly sid: string;
  readonly friendlyName: string;
  /** Creation order; list order and page cursors use it. */
  readonly seq: number;
  readonly dateCreated: number;
  readonly dateUpdated: number;
  /** The sender pool, in the order senders are picked. */
  readonly senders: readonly PhoneNumberRecord[];
}

export interface MessagingServiceSeed {
  sid?: string;
  friendlyName?: string;
  /** E.164 numbers of the account in the sender pool, in pick order; default all of them. */
  senders?: readonly string[];
}

/**
 * The account's Messaging Services, seeded at start-up, each with the account's numbers (all of
 * them, or the seed's `senders`) in its sender pool. The first one is the default
 * (`Sandbox.messagingServiceSid`).
 */
export class MessagingServiceStore {
  private readonly bySid = new Map<string, MessagingServiceRecord>();
  readonly defaultService: MessagingServiceRecord;

  constructor(clock: Clock, seeds: readonly MessagingServiceSeed[], senders: readonly PhoneNumberRecord[]) {
    const now = clock.now();
    const all = seeds.length > 0 ? seeds : [{ friendlyName: 'Sandbox Messaging Service' }];
    all.forEach((seed, i) => {
      const sid = seed.sid ?? newSid('MG');
      if (!isSid(sid, 'MG')) throw new RangeError(`messagingServices[${i}].sid must be MG + 32 hex digits, got ${sid}`);
      if (this.bySid.has(sid)) throw new RangeError(`messagingServices[${i}].sid ${sid} is given twice`);
      const friendlyName = seed.friendlyName ?? `Sandbox Messaging Service ${i + 1}`;
      const pool = seed.senders === undefined ? [...senders] : seed.senders.map((number) => {
        const sender = senders.find((n) => n.phoneNumber === number);
        if (!sender) throw new RangeError(`messagingServices[${i}].senders: ${number} is not one of phoneNumbers`);
        return sender;
      });
      this.bySid.set(sid, { sid, friendlyName, seq: i + 1, dateCreated: now, dateUpdated: now, senders: pool });
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

  /** SIDs of the services whose sender pool holds `phoneNumber` (bare E.164), in creation order. */
  servicesOf(phoneNumber: string): string[] {
    return this.all().filter((s) => s.senders.some((n) => n.phoneNumber === phoneNumber)).map((s) => s.sid);
  }
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
    validity_period: 14400,
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
