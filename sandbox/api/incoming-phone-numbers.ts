import type { Clock } from '../clock';
import { rfc2822 } from '../dates';
import { methodParam } from '../http/form';
import { newSid } from '../sids';

type HttpMethod = 'GET' | 'POST';

export interface PhoneNumberRecord {
  readonly sid: string;
  readonly phoneNumber: string;
  readonly dateCreated: number;
  dateUpdated: number;
  friendlyName: string;
  smsUrl: string;
  smsMethod: HttpMethod;
  smsFallbackUrl: string;
  smsFallbackMethod: HttpMethod;
  voiceUrl: string;
  voiceMethod: HttpMethod;
  voiceFallbackUrl: string;
  voiceFallbackMethod: HttpMethod;
  statusCallback: string;
  statusCallbackMethod: HttpMethod;
  voiceCallerIdLookup: boolean;
}

/** `(415) 555-0142` for NANP numbers, the E.164 string otherwise, like Twilio's default name. */
function defaultFriendlyName(e164: string): string {
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return nanp ? `(${nanp[1]}) ${nanp[2]}-${nanp[3]}` : e164;
}

/** The account's phone numbers (IncomingPhoneNumbers), seeded at start-up. */
export class PhoneNumberStore {
  private readonly bySid = new Map<string, PhoneNumberRecord>();
  private readonly byNumber = new Map<string, PhoneNumberRecord>();

  constructor(
    private readonly clock: Clock,
    numbers: readonly string[],
  ) {
    for (const number of numbers) this.add(number);
  }

  add(phoneNumber: string): PhoneNumberRecord {
    const existing = this.byNumber.get(phoneNumber);
    if (existing) return existing;
    const now = this.clock.now();
    const record: PhoneNumberRecord = {
      sid: newSid('PN'),
      phoneNumber,
      dateCreated: now,
      dateUpdated: now,
      friendlyName: defaultFriendlyName(phoneNumber),
      smsUrl: '',
      smsMethod: 'POST',
      smsFallbackUrl: '',
      smsFallbackMethod: 'POST',
      voiceUrl: '',
      voiceMethod: 'POST',
      voiceFallbackUrl: '',
      voiceFallbackMethod: 'POST',
      statusCallback: '',
      statusCallbackMethod: 'POST',
      voiceCallerIdLookup: false,
    };
    this.bySid.set(record.sid, record);
    this.byNumber.set(phoneNumber, record);
    return record;
  }

  get(sid: string): PhoneNumberRecord | undefined {
    return this.bySid.get(sid);
  }

  byPhoneNumber(phoneNumber: string): PhoneNumberRecord | undefined {
    return this.byNumber.get(phoneNumber);
  }

  owns(phoneNumber: string): boolean {
    return this.byNumber.has(phoneNumber);
  }

  /** In purchase order. */
  all(): PhoneNumberRecord[] {
    return [...this.bySid.values()];
  }

  /** Applies the update parameters Twilio documents for IncomingPhoneNumbers/{Sid}. */
  update(record: PhoneNumberRecord, form: URLSearchParams): void {
    const text = (name: string): string | undefined => form.get(name) ?? undefined;
    const method = (name: string): HttpMethod | undefined => methodParam(form, name, 21403);
    record.friendlyName = text('FriendlyName') ?? record.friendlyName;
    record.smsUrl = text('SmsUrl') ?? record.smsUrl;
    record.smsMethod = method('SmsMethod') ?? record.smsMethod;
    record.smsFallbackUrl = text('SmsFallbackUrl') ?? record.smsFallbackUrl;
    record.smsFallbackMethod = method('SmsFallbackMethod') ?? record.smsFallbackMethod;
    record.voiceUrl = text('VoiceUrl') ?? record.voiceUrl;
    record.voiceMethod = method('VoiceMethod') ?? record.voiceMethod;
    record.voiceFallbackUrl = text('VoiceFallbackUrl') ?? record.voiceFallbackUrl;
    record.voiceFallbackMethod = method('VoiceFallbackMethod') ?? record.voiceFallbackMethod;
    record.statusCallback = text('StatusCallback') ?? record.statusCallback;
    record.statusCallbackMethod = method('StatusCallbackMethod') ?? record.statusCallbackMethod;
    const lookup = form.get('VoiceCallerIdLookup');
    if (lookup !== null && lookup !== '') record.voiceCallerIdLookup = lookup.toLowerCase() === 'true';
    record.dateUpdated = this.clock.now();
  }
}

export function phoneNumbersPath(accountSid: string): string {
  return `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers`;
}

/** The IncomingPhoneNumber resource as the 2010 API serializes it. */
export function phoneNumberResource(accountSid: string, n: PhoneNumberRecord): Record<string, unknown> {
  return {
    account_sid: accountSid,
    address_requirements: 'none',
    address_sid: null,
    api_version: '2010-04-01',
    beta: false,
    bundle_sid: null,
    capabilities: { voice: true, sms: true, mms: true, fax: false },
    date_created: rfc2822(n.dateCreated),
    date_updated: rfc2822(n.dateUpdated),
    emergency_address_sid: null,
    emergency_address_status: 'unregistered',
    emergency_status: 'Inactive',
    friendly_name: n.friendlyName,
    identity_sid: null,
    origin: 'twilio',
    phone_number: n.phoneNumber,
    sid: n.sid,
    sms_application_sid: '',
    sms_fallback_method: n.smsFallbackMethod,
    sms_fallback_url: n.smsFallbackUrl,
    sms_method: n.smsMethod,
    sms_url: n.smsUrl,
    status: 'in-use',
    status_callback: n.statusCallback,
    status_callback_method: n.statusCallbackMethod,
    trunk_sid: null,
    type: 'local',
    uri: `${phoneNumbersPath(accountSid)}/${n.sid}.json`,
    voice_application_sid: '',
    voice_caller_id_lookup: n.voiceCallerIdLookup,
    voice_fallback_method: n.voiceFallbackMethod,
    voice_fallback_url: n.voiceFallbackUrl,
    voice_method: n.voiceMethod,
    voice_receive_mode: 'voice',
    voice_url: n.voiceUrl,
  };
}
