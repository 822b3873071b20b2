import type { Clock } from '../clock';
import { iso8601 } from '../dates';
import { newSid } from '../sids';
import { destinationKey } from './codes';
import type { VerifyChannel } from './magic';
import { verifyServiceUrl } from './services';

/** Twilio's verification statuses (the spec's description of `status`). */
export type VerificationStatus = 'pending' | 'approved' | 'canceled' | 'max_attempts_reached' | 'expired' | 'failed';

/** Twilio's documented limits (https://www.twilio.com/docs/verify/api/rate-limits-and-timeouts, errors 60202 / 60203). */
const VERIFICATION_TTL_MS = 10 * 60 * 1000;
export const MAX_SEND_ATTEMPTS = 5;
export const MAX_CHECK_ATTEMPTS = 5;

export interface SendAttempt {
  attemptSid: string;
  channel: VerifyChannel;
  time: number;
}

export interface VerificationRecord {
  readonly sid: string;
  readonly serviceSid: string;
  readonly to: string;
  /** The channel of the latest send. */
  channel: VerifyChannel;
  status: VerificationStatus;
  readonly code: string;
  readonly locale: string | null;
  readonly sendAttempts: SendAttempt[];
  checkAttempts: number;
  /** The `lookup` object (carrier facts when the service has lookup enabled, else `{}`). */
  readonly lookup: Record<string, unknown>;
  readonly dateCreated: number;
  dateUpdated: number;
  /** Creation + 10 minutes on the sandbox clock; re-sends do not extend it. */
  readonly expiresAt: number;
}

export type NewVerification = Pick<VerificationRecord, 'serviceSid' | 'to' | 'channel' | 'locale' | 'lookup'>;

/**
 * The live verifications: pending ones, and those that ran out of checks (which still block
 * new starts until they expire). Twilio soft-deletes a verification once it is approved,
 * canceled or expired: it leaves both indexes and answers 404 from then on. Expiry is applied
 * lazily on access against the sandbox clock. O(1) per operation.
 */
export class VerificationStore {
  private readonly bySid = new Map<string, VerificationRecord>();
  private readonly byDestination = new Map<string, VerificationRecord>();

  constructor(private readonly clock: Clock) {}

  /** A new pending verification; the caller records its first send. */
  create(init: NewVerification, codeFor: (sid: string) => string): VerificationRecord {
    const now = this.clock.now();
    const sid = newSid('VE');
    const record: VerificationRecord = {
      ...init,
      sid,
      status: 'pending',
      code: codeFor(sid),
      sendAttempts: [],
      checkAttempts: 0,
      dateCreated: now,
      dateUpdated: now,
      expiresAt: now + VERIFICATION_TTL_MS,
    };
    this.bySid.set(sid, record);
    this.byDestination.set(destinationIndexKey(init.serviceSid, init.to), record);
    return record;
  }

  /** The live verification of `to` in the service, if any. */
  forDestination(serviceSid: string, to: string): VerificationRecord | undefined {
    return this.live(this.byDestination.get(destinationIndexKey(serviceSid, to)));
  }

  /** The live verification with this SID in the service, if any. */
  forSid(serviceSid: string, sid: string): VerificationRecord | undefined {
    const record = this.live(this.bySid.get(sid));
    return record && record.serviceSid === serviceSid ? record : undefined;
  }

  /** By `VE…` SID or by destination, as Twilio's fetch and update accept either. */
  resolve(serviceSid: string, sidOrTo: string): VerificationRecord | undefined {
    return sidOrTo.startsWith('VE') && !sidOrTo.includes('@') ? this.forSid(serviceSid, sidOrTo) : this.forDestination(serviceSid, sidOrTo);
  }

  recordSend(record: VerificationRecord, channel: VerifyChannel): SendAttempt {
    const attempt = { attemptSid: newSid('VL'), channel, time: this.clock.now() };
    record.sendAttempts.push(attempt);
    record.channel = channel;
    record.dateUpdated = attempt.time;
    return attempt;
  }

  setStatus(record: VerificationRecord, status: VerificationStatus): void {
    record.status = status;
    record.dateUpdated = this.clock.now();
    if (status !== 'pending' && status !== 'max_attempts_reached') this.retire(record);
  }

  /** The status as of now (a pending verification past its expiry reads `expired`). */
  statusOf(record: VerificationRecord): VerificationStatus {
    this.live(record);
    return record.status;
  }

  private live(record: VerificationRecord | undefined): VerificationRecord | undefined {
    if (!record) return undefined;
    if ((record.status === 'pending' || record.status === 'max_attempts_reached') && this.clock.now() >= record.expiresAt) {
      record.status = 'expired';
      record.dateUpdated = record.expiresAt;
      this.retire(record);
    }
    return this.bySid.get(record.sid) === record ? record : undefined;
  }

  private retire(record: VerificationRecord): void {
    if (this.bySid.get(record.sid) === record) this.bySid.delete(record.sid);
    const key = destinationIndexKey(record.serviceSid, record.to);
    if (this.byDestination.get(key) === record) this.byDestination.delete(key);
  }
}

function destinationIndexKey(serviceSid: string, to: string): string {
  return `${serviceSid} ${destinationKey(to)}`;
}

/** Channel names as the spec's examples write them in `send_code_attempts` ("SMS", "EMAIL", "whatsapp"). */
const ATTEMPT_CHANNEL: Readonly<Record<VerifyChannel, string>> = { sms: 'SMS', call: 'CALL', email: 'EMAIL', whatsapp: 'whatsapp' };

/** The Verification resource as Verify v2 serializes it. */
export function verificationResource(accountSid: string, v: VerificationRecord): Record<string, unknown> {
  return {
    sid: v.sid,
    service_sid: v.serviceSid,
    account_sid: accountSid,
    to: v.to,
    channel: v.channel,
    status: v.status,
    valid: v.status === 'approved',
    lookup: v.lookup,
    amount: null,
    payee: null,
    send_code_attempts: v.sendAttempts.map((a) => ({
      attempt_sid: a.attemptSid,
      channel: ATTEMPT_CHANNEL[a.channel],
      time: iso8601(a.time),
    })),
    date_created: iso8601(v.dateCreated),
    date_updated: iso8601(v.dateUpdated),
    sna: null,
    url: `${verifyServiceUrl(v.serviceSid)}/Verifications/${v.sid}`,
  };
}

/** The VerificationCheck resource as Verify v2 serializes it. */
export function verificationCheckResource(accountSid: string, v: VerificationRecord): Record<string, unknown> {
  return {
    sid: v.sid,
    service_sid: v.serviceSid,
    account_sid: accountSid,
    to: v.to,
    channel: v.channel,
    status: v.status,
    valid: v.status === 'approved',
    amount: null,
    payee: null,
    sna_attempts_error_codes: [],
    date_created: iso8601(v.dateCreated),
    date_updated: iso8601(v.dateUpdated),
  };
}
