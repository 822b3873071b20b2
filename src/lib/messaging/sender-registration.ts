import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Settings } from '../config/settings';
import type { Deadline } from '../runtime/deadline';
import { repeatable } from '../twilio/request-policy';
import type { TwilioClient } from '../twilio/sdk';

/**
 * Whether the US senders we send from are registered as US carriers require, read from Twilio's
 * Messaging v1 (the campaign `npm run doctor` and `POST /campaigns` check before traffic):
 * - a US 10DLC number needs a Messaging Service holding it whose US A2P campaign
 *   (`Services/{MG}/Compliance/Usa2p`) has `campaign_status` VERIFIED. Since 2023-09-01 Twilio
 *   blocks every US-bound message from an unregistered 10DLC number, error 30034 (support article
 *   https://support.twilio.com/hc/en-us/articles/14910496447771);
 * - a toll-free number needs a verification (`Tollfree/Verifications`) with status
 *   TWILIO_APPROVED. Since 2024-01-31 messages from Restricted or Pending toll-free numbers to the
 *   US and Canada are blocked, error 30032 (https://support.twilio.com/hc/en-us/articles/20212966914075).
 * Short codes and non-US numbers are not concerned and not listed.
 */

export interface SenderRegistration {
  sender: string;
  type: 'long_code' | 'toll_free';
  registered: boolean;
  /** The campaign's `campaign_status` or the verification's `status`; `null` when there is none. */
  status: string | null;
  /** What Twilio fails this sender's US messages with while it is not registered. */
  errorCode: 30034 | 30032;
}

/** Services read when looking for the one that holds a lone number (no MESSAGING_SERVICE_SID). */
const MAX_SERVICES = 50;
/** Numbers read per sender pool, and toll-free verifications per account. */
const MAX_LIST = 1_000;

/** Statuses on the way to approval: traffic is blocked until then, but nothing needs fixing. */
const IN_REVIEW = new Set(['PENDING', 'IN_PROGRESS', 'PENDING_REVIEW', 'IN_REVIEW']);

/** True for a status still under review (the fix is to wait), false for none, failed or rejected. */
export const inReview = (registration: SenderRegistration): boolean => registration.status !== null && IN_REVIEW.has(registration.status);

function typeOf(sender: string): SenderRegistration['type'] | undefined {
  const parsed = parsePhoneNumberFromString(sender);
  if (!parsed) return undefined;
  if (parsed.getType() === 'TOLL_FREE') return parsed.countryCallingCode === '1' ? 'toll_free' : undefined;
  return parsed.country === 'US' ? 'long_code' : undefined;
}

/** The best campaign status of the services: VERIFIED wins, else the first found, else `null`. */
async function campaignStatusOf(twilio: TwilioClient, serviceSids: readonly string[], deadline: Deadline): Promise<string | null> {
  const statuses = (
    await Promise.all(
      serviceSids.map((sid) => repeatable(deadline, () => twilio.messaging.v1.services(sid).usAppToPerson.list({ limit: 20 }))),
    )
  )
    .flat()
    .map((campaign) => campaign.campaignStatus);
  return statuses.find((status) => status === 'VERIFIED') ?? statuses[0] ?? null;
}

/** The Messaging Services whose sender pool holds `phoneNumber`. */
async function servicesHolding(twilio: TwilioClient, phoneNumber: string, deadline: Deadline): Promise<string[]> {
  const services = await repeatable(deadline, () => twilio.messaging.v1.services.list({ limit: MAX_SERVICES }));
  const pools = await Promise.all(
    services.map(async (service) => ({
      sid: service.sid,
      numbers: await repeatable(deadline, () => twilio.messaging.v1.services(service.sid).phoneNumbers.list({ limit: MAX_LIST })),
    })),
  );
  return pools.filter((pool) => pool.numbers.some((n) => n.phoneNumber === phoneNumber)).map((pool) => pool.sid);
}

/**
 * The registration of each US sender we send from: the Messaging Service's pool when
 * MESSAGING_SERVICE_SID is set (its campaign covers all its long codes), else TWILIO_PHONE_NUMBER
 * (registered through whichever service holds it).
 */
export async function readSenderRegistrations(twilio: TwilioClient, settings: Settings, deadline: Deadline): Promise<SenderRegistration[]> {
  const serviceSid = settings.messagingServiceSid;
  const senders = serviceSid
    ? (await repeatable(deadline, () => twilio.messaging.v1.services(serviceSid).phoneNumbers.list({ limit: MAX_LIST }))).map(
        (n) => n.phoneNumber,
      )
    : settings.phoneNumber
      ? [settings.phoneNumber]
      : [];
  const typed = senders.flatMap((sender) => {
    const type = typeOf(sender);
    return type ? [{ sender, type }] : [];
  });
  const longCodes = typed.filter((s) => s.type === 'long_code');
  const tollFree = typed.filter((s) => s.type === 'toll_free');
  const [campaignStatus, verifications] = await Promise.all([
    longCodes.length === 0
      ? null
      : serviceSid
        ? campaignStatusOf(twilio, [serviceSid], deadline)
        : servicesHolding(twilio, longCodes[0].sender, deadline).then((sids) => campaignStatusOf(twilio, sids, deadline)),
    tollFree.length === 0 ? [] : repeatable(deadline, () => twilio.messaging.v1.tollfreeVerifications.list({ limit: MAX_LIST })),
  ]);
  const tollFreeStatus = (sender: string): string | null => {
    const statuses = verifications.filter((v) => v.tollfreePhoneNumber === sender).map((v) => v.status as string);
    return statuses.find((status) => status === 'TWILIO_APPROVED') ?? statuses[0] ?? null;
  };
  return typed.map(({ sender, type }): SenderRegistration => {
    const status = type === 'long_code' ? campaignStatus : tollFreeStatus(sender);
    return {
      sender,
      type,
      registered: status === (type === 'long_code' ? 'VERIFIED' : 'TWILIO_APPROVED'),
      status,
      errorCode: type === 'long_code' ? 30034 : 30032,
    };
  });
}

/** One sentence on an unregistered sender: what Twilio does to its US traffic, and what to do. */
export function describeUnregistered(registration: SenderRegistration): string {
  const { sender, type, status, errorCode } = registration;
  const what =
    type === 'long_code'
      ? `${sender} is a US 10DLC number ${status ? `whose A2P campaign is ${status}` : 'in no Messaging Service with an A2P campaign'}`
      : `${sender} is a toll-free number ${status ? `whose verification is ${status}` : 'never submitted for toll-free verification'}`;
  const fix =
    type === 'long_code'
      ? inReview(registration)
        ? 'wait for the campaign to be VERIFIED'
        : 'register an A2P 10DLC campaign on the Messaging Service that holds it'
      : inReview(registration)
        ? 'wait for the verification to be TWILIO_APPROVED'
        : 'submit (or correct) its toll-free verification';
  const where = type === 'long_code' ? 'US' : 'US and Canadian';
  return `${what}: carriers block its ${where} messages (Twilio error ${errorCode}); ${fix}`;
}
