import { badRequest, TwilioApiError } from '../http/errors';
import { lineTypeInfo, lineTypeOf } from '../lookup/line-types';
import type { UsageCounters } from '../usage';
import type { CodeGenerator } from './codes';
import { deliverCode, type CodeDeliveryDeps } from './delivery';
import { magicRefusal, VERIFY_CHANNELS, type VerifyChannel } from './magic';
import type { VerifyServiceRecord } from './services';
import { MAX_SEND_ATTEMPTS, type VerificationRecord, type VerificationStore } from './verifications';

export interface StartDeps {
  verifications: VerificationStore;
  codes: CodeGenerator;
  delivery: CodeDeliveryDeps;
  usage: UsageCounters;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function readChannel(raw: string | null): VerifyChannel {
  const channel = (raw ?? '').trim();
  if (!(VERIFY_CHANNELS as readonly string[]).includes(channel)) throw badRequest(60200, 'Invalid parameter: Channel');
  return channel as VerifyChannel;
}

/** The `lookup` object of a verification: carrier facts when the service has lookup enabled. */
function lookupOf(service: VerifyServiceRecord, to: string, channel: VerifyChannel): Record<string, unknown> {
  if (!service.lookupEnabled || channel === 'email') return {};
  const info = lineTypeInfo(to);
  return {
    carrier: {
      error_code: null,
      name: info.carrierName,
      mobile_country_code: info.mobileCountryCode,
      mobile_network_code: info.mobileNetworkCode,
      type: info.type,
    },
  };
}

/**
 * `POST /Services/{VA}/Verifications`, in Twilio's order: parameters (60200), the service's
 * disabled channels (60223), the destination's refusals (magic destinations; 60205 for a
 * landline on SMS when the service skips SMS to landlines), then one live verification per
 * destination: a pending one is re-sent with the same code (at most 5 sends, then 60203); one
 * that ran out of checks blocks new starts until it expires (60202). Returns the verification
 * after the send.
 */
export function startVerification(service: VerifyServiceRecord, form: URLSearchParams, deps: StartDeps): VerificationRecord {
  const to = (form.get('To') ?? '').trim();
  const channel = readChannel(form.get('Channel'));
  if (!(channel === 'email' ? EMAIL.test(to) : E164.test(to))) throw badRequest(60200, 'Invalid parameter: To');
  if (service.disabledChannels.has(channel)) throw badRequest(60223, 'Delivery channel disabled');
  const refusal = magicRefusal(to, channel);
  if (refusal) throw new TwilioApiError(refusal.status, refusal.code, refusal.message);
  if (channel === 'sms' && service.lookupEnabled && service.skipSmsToLandlines && lineTypeOf(to) === 'landline') {
    throw new TwilioApiError(403, 60205, 'SMS is not supported by landline phone number');
  }

  const { verifications } = deps;
  let verification = verifications.forDestination(service.sid, to);
  if (verification?.status === 'max_attempts_reached') throw new TwilioApiError(429, 60202, 'Max check attempts reached');
  if (verification && verification.sendAttempts.length >= MAX_SEND_ATTEMPTS)
    throw new TwilioApiError(429, 60203, 'Max send attempts reached');
  verification ??= verifications.create(
    { serviceSid: service.sid, to, channel, locale: form.get('Locale') || null, lookup: lookupOf(service, to, channel) },
    (sid) => deps.codes.code(sid, service.codeLength),
  );
  verifications.recordSend(verification, channel);
  deliverCode(verification, service, channel, deps.delivery);
  deps.usage.count('verifications');
  return verification;
}
