import type { Clock } from '../clock';
import { iso8601 } from '../dates';
import { badRequest, TwilioApiError } from '../http/errors';
import { boolParam } from '../http/form';
import { isSid, newSid } from '../sids';
import { VERIFY_CHANNELS, type VerifyChannel } from './magic';

export const VERIFY_BASE_URL = 'https://verify.twilio.com/v2';

/** Twilio's default and bounds for `CodeLength` (twilio_verify_v2.json). */
const DEFAULT_CODE_LENGTH = 6;
const MIN_CODE_LENGTH = 4;
const MAX_CODE_LENGTH = 10;
/** The spec says "up to 32 characters" (the 60200 page says 30; the spec wins here). */
const MAX_FRIENDLY_NAME = 32;

export interface VerifyServiceRecord {
  readonly sid: string;
  readonly friendlyName: string;
  readonly codeLength: number;
  readonly lookupEnabled: boolean;
  readonly skipSmsToLandlines: boolean;
  readonly dtmfInputRequired: boolean;
  readonly ttsName: string | null;
  readonly psd2Enabled: boolean;
  readonly doNotShareWarningEnabled: boolean;
  readonly customCodeEnabled: boolean;
  /** Channels switched off in the (sandbox) service settings: starts on them answer 60223. */
  readonly disabledChannels: ReadonlySet<VerifyChannel>;
  /** Creation order; list order and page cursors use it. */
  readonly seq: number;
  readonly dateCreated: number;
  readonly dateUpdated: number;
}

export interface VerifyServiceSeed {
  sid?: string;
  friendlyName?: string;
  codeLength?: number;
  lookupEnabled?: boolean;
  skipSmsToLandlines?: boolean;
  disabledChannels?: readonly VerifyChannel[];
}

type NewService = Omit<VerifyServiceRecord, 'sid' | 'seq' | 'dateCreated' | 'dateUpdated'> & { sid?: string };

/** The account's Verify Services: seeded at start-up (the first is the default), created over the API. */
export class VerifyServiceStore {
  private readonly bySid = new Map<string, VerifyServiceRecord>();
  private seq = 0;
  readonly defaultService: VerifyServiceRecord;

  constructor(
    private readonly clock: Clock,
    seeds: readonly VerifyServiceSeed[],
  ) {
    const all = seeds.length > 0 ? seeds : [{ friendlyName: 'Sandbox Verify Service' }];
    all.forEach((seed, i) => {
      if (seed.sid !== undefined && !isSid(seed.sid, 'VA'))
        throw new RangeError(`verifyServices[${i}].sid must be VA + 32 hex digits, got ${seed.sid}`);
      if (seed.sid !== undefined && this.bySid.has(seed.sid)) throw new RangeError(`verifyServices[${i}].sid ${seed.sid} is given twice`);
      const codeLength = seed.codeLength ?? DEFAULT_CODE_LENGTH;
      if (!Number.isInteger(codeLength) || codeLength < MIN_CODE_LENGTH || codeLength > MAX_CODE_LENGTH) {
        throw new RangeError(`verifyServices[${i}].codeLength must be an integer from 4 to 10, got ${codeLength}`);
      }
      for (const channel of seed.disabledChannels ?? []) {
        if (!VERIFY_CHANNELS.includes(channel))
          throw new RangeError(`verifyServices[${i}].disabledChannels: unknown channel ${String(channel)}`);
      }
      this.add({
        sid: seed.sid,
        friendlyName: seed.friendlyName ?? `Sandbox Verify Service ${i + 1}`,
        codeLength,
        lookupEnabled: seed.lookupEnabled ?? false,
        skipSmsToLandlines: seed.skipSmsToLandlines ?? false,
        dtmfInputRequired: false,
        ttsName: null,
        psd2Enabled: false,
        doNotShareWarningEnabled: false,
        customCodeEnabled: false,
        disabledChannels: new Set(seed.disabledChannels ?? []),
      });
    });
    this.defaultService = [...this.bySid.values()][0];
  }

  /** `POST /v2/Services` with Twilio's validation (60200 names the bad parameter). */
  create(form: URLSearchParams): VerifyServiceRecord {
    const friendlyName = form.get('FriendlyName') ?? '';
    if (friendlyName.trim() === '' || friendlyName.length > MAX_FRIENDLY_NAME) throw badRequest(60200, 'Invalid parameter: FriendlyName');
    const rawLength = form.get('CodeLength');
    const codeLength = rawLength === null || rawLength === '' ? DEFAULT_CODE_LENGTH : Number(rawLength);
    if (!Number.isInteger(codeLength) || codeLength < MIN_CODE_LENGTH || codeLength > MAX_CODE_LENGTH) {
      throw badRequest(60200, 'Invalid parameter: CodeLength');
    }
    return this.add({
      friendlyName,
      codeLength,
      lookupEnabled: boolParam(form, 'LookupEnabled') ?? false,
      skipSmsToLandlines: boolParam(form, 'SkipSmsToLandlines') ?? false,
      dtmfInputRequired: boolParam(form, 'DtmfInputRequired') ?? false,
      ttsName: form.get('TtsName') || null,
      psd2Enabled: boolParam(form, 'Psd2Enabled') ?? false,
      doNotShareWarningEnabled: boolParam(form, 'DoNotShareWarningEnabled') ?? false,
      customCodeEnabled: boolParam(form, 'CustomCodeEnabled') ?? false,
      disabledChannels: new Set(),
    });
  }

  /** By SID; 404 / 20404 when unknown. */
  resolve(sid: string, path: string): VerifyServiceRecord {
    const service = this.bySid.get(sid);
    if (!service) throw new TwilioApiError(404, 20404, `The requested resource ${path} was not found`);
    return service;
  }

  /** In creation order. */
  all(): VerifyServiceRecord[] {
    return [...this.bySid.values()];
  }

  private add(init: NewService): VerifyServiceRecord {
    const now = this.clock.now();
    const service: VerifyServiceRecord = { ...init, sid: init.sid ?? newSid('VA'), seq: ++this.seq, dateCreated: now, dateUpdated: now };
    this.bySid.set(service.sid, service);
    return service;
  }
}

export function verifyServiceUrl(sid: string): string {
  return `${VERIFY_BASE_URL}/Services/${sid}`;
}

/** The Verify Service resource as Verify v2 serializes it. */
export function verifyServiceResource(accountSid: string, s: VerifyServiceRecord): Record<string, unknown> {
  const url = verifyServiceUrl(s.sid);
  return {
    sid: s.sid,
    account_sid: accountSid,
    friendly_name: s.friendlyName,
    code_length: s.codeLength,
    lookup_enabled: s.lookupEnabled,
    psd2_enabled: s.psd2Enabled,
    skip_sms_to_landlines: s.skipSmsToLandlines,
    dtmf_input_required: s.dtmfInputRequired,
    tts_name: s.ttsName,
    do_not_share_warning_enabled: s.doNotShareWarningEnabled,
    custom_code_enabled: s.customCodeEnabled,
    push: { include_date: false, apn_credential_sid: null, fcm_credential_sid: null },
    totp: { issuer: null, time_step: null, code_length: null, skew: null },
    default_template_sid: null,
    whatsapp: { msg_service_sid: null, from: null },
    passkeys: {
      relying_party: { id: null, name: null, origins: [] },
      authenticator_attachment: null,
      discoverable_credentials: null,
      user_verification: null,
    },
    verify_event_subscription_enabled: false,
    date_created: iso8601(s.dateCreated),
    date_updated: iso8601(s.dateUpdated),
    url,
    links: {
      verification_checks: `${url}/VerificationCheck`,
      verifications: `${url}/Verifications`,
      rate_limits: `${url}/RateLimits`,
      messaging_configurations: `${url}/MessagingConfigurations`,
      entities: `${url}/Entities`,
      webhooks: `${url}/Webhooks`,
      access_tokens: `${url}/AccessTokens`,
    },
  };
}
