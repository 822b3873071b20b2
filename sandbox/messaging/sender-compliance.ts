/**
 * US sender registration, as Twilio's carriers enforce it: a US A2P 10DLC campaign per Messaging
 * Service (Messaging v1 `Services/{MG}/Compliance/Usa2p`, the UsAppToPerson resource) and a
 * toll-free verification per toll-free number (Messaging v1 `Tollfree/Verifications`).
 *
 * Enforcement (always on, as at Twilio since these dates):
 * - 10DLC: "All SMS and MMS messages sent to US phone numbers from unregistered 10DLC phone numbers
 *   will be fully blocked effective September 1st, 2023. 10DLC phone numbers must be fully
 *   registered to an approved Campaign" (Twilio support, "Shutdown of Unregistered 10DLC Messaging
 *   FAQ", https://support.twilio.com/hc/en-us/articles/14910496447771). Blocked messages end
 *   `undelivered` with 30034 (a status callback quoted in
 *   https://github.com/department-of-veterans-affairs/notification-api/issues/1376:
 *   `ErrorCode=30034 … MessageStatus=undelivered`). Canada-bound traffic is not filtered (same FAQ).
 * - Toll-free: "As of January 31, 2024, messages sent from any unverified (Restricted or Pending)
 *   Toll-Free phone numbers (TFPN) are blocked in the US and Canada … Blocked messages will return
 *   Error 30032 … and are subject to messaging fees" (Twilio support, "Toll-Free Verification and
 *   Developers", https://support.twilio.com/hc/en-us/articles/20212966914075; error page
 *   https://www.twilio.com/docs/api/errors/30032, log type CARRIER: the message is undelivered).
 *
 * A long code is registered when a Messaging Service holding it has a campaign whose
 * `campaign_status` is VERIFIED (the spec: "Campaign status. Examples: IN_PROGRESS, VERIFIED,
 * FAILED"); a toll-free number when its verification's `status` is TWILIO_APPROVED (the spec's
 * enum: PENDING_REVIEW, IN_REVIEW, TWILIO_APPROVED, TWILIO_REJECTED). The sandbox seeds every
 * Messaging Service with a VERIFIED campaign and every toll-free number with an approved
 * verification, so a default sandbox sends as a registered account does; the control plane
 * (`POST /_sandbox/messaging/registrations`) changes them. Twilio's magic test numbers
 * (+1 500 555 …) never reach a carrier and are never blocked.
 */
import type { PhoneNumberRecord } from '../api/incoming-phone-numbers';
import type { MessageRecord } from '../api/messages';
import type { Clock } from '../clock';
import { iso8601 } from '../dates';
import { badRequest, requiredParam } from '../http/errors';
import type { DeliveryOutcome } from '../magic-numbers';
import { geoOf } from '../phone/geo';
import { newSid } from '../sids';
import { isWhatsApp } from '../whatsapp/addresses';
import { MESSAGING_BASE_URL, messagingServiceUrl, type MessagingServiceStore } from './services';
import { isTollFree } from './throughput';

/** Twilio's 30034 (https://www.twilio.com/docs/api/errors/30034): a US 10DLC sender outside an approved campaign. */
const UNREGISTERED_10DLC: DeliveryOutcome = {
  status: 'undelivered',
  code: 30034,
  message: 'US A2P 10DLC - Message from an Unregistered Number',
};

/** Twilio's 30032 (https://www.twilio.com/docs/api/errors/30032): "Toll-Free Number Has Not Been Verified". */
const UNVERIFIED_TOLL_FREE: DeliveryOutcome = {
  status: 'undelivered',
  code: 30032,
  message: 'Toll-Free Number Has Not Been Verified',
};

/** The spec's `tollfree_verification_enum_status`. */
export const TOLLFREE_STATUSES = ['PENDING_REVIEW', 'IN_REVIEW', 'TWILIO_APPROVED', 'TWILIO_REJECTED'] as const;
export type TollfreeStatus = (typeof TOLLFREE_STATUSES)[number];

/** `campaign_status` values: the spec's examples (IN_PROGRESS, VERIFIED, FAILED) and its example answer's PENDING. */
export const CAMPAIGN_STATUSES = ['PENDING', 'IN_PROGRESS', 'VERIFIED', 'FAILED'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Twilio's test-credential magic numbers: https://www.twilio.com/docs/iam/test-credentials. */
const MAGIC = /^\+1500555\d{4}$/;

interface Usa2pRecord {
  sid: string;
  serviceSid: string;
  brandRegistrationSid: string;
  description: string;
  messageSamples: string[];
  usecase: string;
  hasEmbeddedLinks: boolean;
  hasEmbeddedPhone: boolean;
  messageFlow: string;
  campaignStatus: CampaignStatus;
  dateCreated: number;
  dateUpdated: number;
}

interface TollfreeRecord {
  sid: string;
  number: PhoneNumberRecord;
  status: TollfreeStatus;
  businessName: string;
  businessWebsite: string;
  notificationEmail: string;
  useCaseCategories: string[];
  useCaseSummary: string;
  productionMessageSample: string;
  optInImageUrls: string[];
  optInType: string;
  messageVolume: string;
  dateCreated: number;
  dateUpdated: number;
}

/** What the control plane shows: each service's campaign and each toll-free number's verification. */
export interface ComplianceSnapshot {
  services: Array<{ sid: string; campaignStatus: CampaignStatus | null }>;
  tollFree: Array<{ phoneNumber: string; status: TollfreeStatus | null }>;
}

export class SenderCompliance {
  private readonly campaigns = new Map<string, Usa2pRecord>();
  private readonly verifications = new Map<string, TollfreeRecord>();

  constructor(
    private readonly clock: Clock,
    private readonly services: MessagingServiceStore,
    private readonly numbers: () => readonly PhoneNumberRecord[],
  ) {
    for (const service of services.all()) this.seedCampaign(service.sid, 'VERIFIED');
    for (const number of numbers()) if (isTollFree(number.phoneNumber)) this.seedVerification(number, 'TWILIO_APPROVED');
  }

  /** Why an outbound SMS from its sender is blocked (30034 / 30032), or `null`. */
  outcome(message: MessageRecord): DeliveryOutcome | null {
    if (message.direction === 'inbound' || !message.from || isWhatsApp(message.to) || isWhatsApp(message.from)) return null;
    const from = message.from;
    if (MAGIC.test(from) || MAGIC.test(message.to)) return null;
    const toCountry = geoOf(message.to).Country;
    if (isTollFree(from)) return (toCountry === 'US' || toCountry === 'CA') && !this.tollFreeApproved(from) ? UNVERIFIED_TOLL_FREE : null;
    if (geoOf(from).Country !== 'US' || toCountry !== 'US') return null;
    return this.longCodeRegistered(from) ? null : UNREGISTERED_10DLC;
  }

  longCodeRegistered(phoneNumber: string): boolean {
    const serviceSids = new Set(this.services.servicesOf(phoneNumber));
    return [...this.campaigns.values()].some((c) => serviceSids.has(c.serviceSid) && c.campaignStatus === 'VERIFIED');
  }

  tollFreeApproved(phoneNumber: string): boolean {
    return [...this.verifications.values()].some((v) => v.number.phoneNumber === phoneNumber && v.status === 'TWILIO_APPROVED');
  }

  /** Control plane: the service's campaign gets `status`; `null` deletes it (the service is unregistered). */
  setCampaignStatus(serviceSid: string, status: CampaignStatus | null): void {
    const existing = this.campaignsOf(serviceSid);
    if (status === null) for (const c of existing) this.campaigns.delete(c.sid);
    else if (existing.length === 0) this.seedCampaign(serviceSid, status);
    else for (const c of existing) Object.assign(c, { campaignStatus: status, dateUpdated: this.clock.now() });
  }

  /** Control plane: the number's verification gets `status`; `null` deletes it (Restricted: never submitted). */
  setTollfreeStatus(number: PhoneNumberRecord, status: TollfreeStatus | null): void {
    const existing = [...this.verifications.values()].filter((v) => v.number.sid === number.sid);
    if (status === null) for (const v of existing) this.verifications.delete(v.sid);
    else if (existing.length === 0) this.seedVerification(number, status);
    else for (const v of existing) Object.assign(v, { status, dateUpdated: this.clock.now() });
  }

  snapshot(): ComplianceSnapshot {
    return {
      services: this.services.all().map((s) => ({ sid: s.sid, campaignStatus: this.campaignsOf(s.sid)[0]?.campaignStatus ?? null })),
      tollFree: this.numbers()
        .filter((n) => isTollFree(n.phoneNumber))
        .map((n) => ({
          phoneNumber: n.phoneNumber,
          status: [...this.verifications.values()].find((v) => v.number.sid === n.sid)?.status ?? null,
        })),
    };
  }

  campaignsOf(serviceSid: string): Usa2pRecord[] {
    return [...this.campaigns.values()].filter((c) => c.serviceSid === serviceSid);
  }

  campaign(serviceSid: string, sid: string): Usa2pRecord | undefined {
    const record = this.campaigns.get(sid);
    return record?.serviceSid === serviceSid ? record : undefined;
  }

  /** `POST /v1/Services/{MG}/Compliance/Usa2p`: a new campaign starts IN_PROGRESS (vetting takes days at Twilio). */
  createCampaign(serviceSid: string, form: URLSearchParams): Usa2pRecord {
    const record = this.newCampaign(serviceSid, 'IN_PROGRESS', {
      brandRegistrationSid: requiredParam(form, 'BrandRegistrationSid'),
      description: requiredParam(form, 'Description'),
      messageFlow: requiredParam(form, 'MessageFlow'),
      messageSamples: form.getAll('MessageSamples'),
      usecase: requiredParam(form, 'UsAppToPersonUsecase'),
      hasEmbeddedLinks: requiredParam(form, 'HasEmbeddedLinks') === 'true',
      hasEmbeddedPhone: requiredParam(form, 'HasEmbeddedPhone') === 'true',
    });
    if (record.messageSamples.length === 0) throw badRequest(20001, 'Missing required parameter MessageSamples in the post body');
    this.campaigns.set(record.sid, record);
    return record;
  }

  deleteCampaign(serviceSid: string, sid: string): boolean {
    return this.campaign(serviceSid, sid) ? this.campaigns.delete(sid) : false;
  }

  listVerifications(filter: { numberSid?: string; status?: string }): TollfreeRecord[] {
    return [...this.verifications.values()].filter(
      (v) => (!filter.numberSid || v.number.sid === filter.numberSid) && (!filter.status || v.status === filter.status),
    );
  }

  verification(sid: string): TollfreeRecord | undefined {
    return this.verifications.get(sid);
  }

  /** `POST /v1/Tollfree/Verifications`: submitted, so PENDING_REVIEW. */
  createVerification(form: URLSearchParams): TollfreeRecord {
    const numberSid = requiredParam(form, 'TollfreePhoneNumberSid');
    const number = this.numbers().find((n) => n.sid === numberSid);
    // https://www.twilio.com/docs/api/errors/30436: "Invalid Phone Number SID".
    if (!number || !isTollFree(number.phoneNumber)) throw badRequest(30436, 'Invalid Phone Number SID');
    const now = this.clock.now();
    const record: TollfreeRecord = {
      sid: newSid('HH'),
      number,
      status: 'PENDING_REVIEW',
      businessName: requiredParam(form, 'BusinessName'),
      businessWebsite: requiredParam(form, 'BusinessWebsite'),
      notificationEmail: requiredParam(form, 'NotificationEmail'),
      useCaseCategories: form.getAll('UseCaseCategories'),
      useCaseSummary: requiredParam(form, 'UseCaseSummary'),
      productionMessageSample: requiredParam(form, 'ProductionMessageSample'),
      optInImageUrls: form.getAll('OptInImageUrls'),
      optInType: requiredParam(form, 'OptInType'),
      messageVolume: requiredParam(form, 'MessageVolume'),
      dateCreated: now,
      dateUpdated: now,
    };
    this.verifications.set(record.sid, record);
    return record;
  }

  deleteVerification(sid: string): boolean {
    return this.verifications.delete(sid);
  }

  private seedCampaign(serviceSid: string, status: CampaignStatus): void {
    const record = this.newCampaign(serviceSid, status, {
      brandRegistrationSid: newSid('BN'),
      description: 'Sandbox campaign: account notifications to customers who opted in.',
      messageFlow: 'Customers opt in on the sign-up form and confirm by replying START.',
      messageSamples: ['Your order 1234 has shipped.', 'Your appointment is tomorrow at 10:00.'],
      usecase: 'MIXED',
      hasEmbeddedLinks: false,
      hasEmbeddedPhone: false,
    });
    this.campaigns.set(record.sid, record);
  }

  private newCampaign(
    serviceSid: string,
    campaignStatus: CampaignStatus,
    fields: Omit<Usa2pRecord, 'sid' | 'serviceSid' | 'campaignStatus' | 'dateCreated' | 'dateUpdated'>,
  ): Usa2pRecord {
    const now = this.clock.now();
    return { sid: newSid('QE'), serviceSid, campaignStatus, dateCreated: now, dateUpdated: now, ...fields };
  }

  private seedVerification(number: PhoneNumberRecord, status: TollfreeStatus): void {
    const now = this.clock.now();
    const sid = newSid('HH');
    this.verifications.set(sid, {
      sid,
      number,
      status,
      businessName: 'Sandbox Business',
      businessWebsite: 'https://example.com',
      notificationEmail: 'compliance@example.com',
      useCaseCategories: ['ACCOUNT_NOTIFICATIONS'],
      useCaseSummary: 'Account notifications to customers who opted in.',
      productionMessageSample: 'Your order 1234 has shipped.',
      optInImageUrls: ['https://example.com/opt-in.png'],
      optInType: 'WEB_FORM',
      messageVolume: '1,000',
      dateCreated: now,
      dateUpdated: now,
    });
  }
}

/** A campaign as Messaging v1 serializes it (`messaging.v1.service.us_app_to_person`). */
export function usa2pResource(accountSid: string, c: Usa2pRecord): Record<string, unknown> {
  return {
    sid: c.sid,
    account_sid: accountSid,
    brand_registration_sid: c.brandRegistrationSid,
    messaging_service_sid: c.serviceSid,
    description: c.description,
    message_samples: c.messageSamples,
    us_app_to_person_usecase: c.usecase,
    has_embedded_links: c.hasEmbeddedLinks,
    has_embedded_phone: c.hasEmbeddedPhone,
    subscriber_opt_in: true,
    age_gated: false,
    direct_lending: false,
    campaign_status: c.campaignStatus,
    campaign_id: c.campaignStatus === 'VERIFIED' ? `C${c.sid.slice(2, 8).toUpperCase()}` : null,
    is_externally_registered: false,
    rate_limits: c.campaignStatus === 'VERIFIED' ? { att: { mps: 75, msg_class: 'E' }, tmobile: { brand_tier: 'LOW' } } : null,
    message_flow: c.messageFlow,
    opt_in_message: null,
    opt_out_message: null,
    help_message: null,
    opt_in_keywords: null,
    opt_out_keywords: null,
    help_keywords: null,
    date_created: iso8601(c.dateCreated),
    date_updated: iso8601(c.dateUpdated),
    url: `${messagingServiceUrl(c.serviceSid)}/Compliance/Usa2p/${c.sid}`,
    mock: false,
    errors: [],
  };
}

/** A toll-free verification as Messaging v1 serializes it (`messaging.v1.tollfree_verification`). */
export function tollfreeResource(accountSid: string, v: TollfreeRecord): Record<string, unknown> {
  return {
    sid: v.sid,
    account_sid: accountSid,
    customer_profile_sid: null,
    trust_product_sid: null,
    date_created: iso8601(v.dateCreated),
    date_updated: iso8601(v.dateUpdated),
    regulated_item_sid: null,
    business_name: v.businessName,
    business_street_address: null,
    business_street_address2: null,
    business_city: null,
    business_state_province_region: null,
    business_postal_code: null,
    business_country: null,
    business_website: v.businessWebsite,
    business_contact_first_name: null,
    business_contact_last_name: null,
    business_contact_email: null,
    business_contact_phone: null,
    notification_email: v.notificationEmail,
    use_case_categories: v.useCaseCategories,
    use_case_summary: v.useCaseSummary,
    production_message_sample: v.productionMessageSample,
    opt_in_image_urls: v.optInImageUrls,
    opt_in_type: v.optInType,
    message_volume: v.messageVolume,
    additional_information: null,
    tollfree_phone_number_sid: v.number.sid,
    tollfree_phone_number: v.number.phoneNumber,
    status: v.status,
    url: `${MESSAGING_BASE_URL}/Tollfree/Verifications/${v.sid}`,
    rejection_reason: v.status === 'TWILIO_REJECTED' ? 'Sandbox: rejected by the control plane' : null,
    error_code: null,
    edit_expiration: null,
    edit_allowed: v.status === 'TWILIO_REJECTED',
    business_registration_number: null,
    business_registration_authority: null,
    business_registration_country: null,
    business_type: null,
    business_registration_phone_number: null,
    doing_business_as: null,
    opt_in_confirmation_message: null,
    help_message_sample: null,
    privacy_policy_url: null,
    terms_and_conditions_url: null,
    age_gated_content: false,
    opt_in_keywords: null,
    rejection_reasons: null,
    resource_links: null,
    external_reference_id: null,
    vetting_id: null,
    vetting_provider: null,
    vetting_id_expiration: null,
  };
}
