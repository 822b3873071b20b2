import { createHmac, randomBytes } from 'node:crypto';
import { iso8601 } from '../dates';
import type { VerifyChannel } from './magic';

/**
 * Verification codes: HMAC-SHA256 of the verification SID under a key drawn when the sandbox
 * starts, reduced to `length` decimal digits. The same verification always gets the same code
 * (re-sends repeat it, as Twilio's do), but nothing outside the sandbox can compute it: tests
 * read it from the delivered SMS / WhatsApp message or from `GET /_sandbox/verify/codes`.
 */
export class CodeGenerator {
  private readonly key = randomBytes(32);

  code(verificationSid: string, length: number): string {
    const digest = createHmac('sha256', this.key).update(verificationSid).digest();
    let code = '';
    for (let i = 0; i < length; i += 1) code += String(digest[i] % 10);
    return code;
  }
}

/** What a delivered code log entry points at (a verification record, read live). */
export interface CodeHolder {
  readonly sid: string;
  readonly to: string;
  readonly code: string;
}

export interface CodeLogEntry {
  to: string;
  channel: VerifyChannel;
  code: string;
  verificationSid: string;
  /** What the phone shows (SMS, WhatsApp) or hears (call), or the email's text. */
  body: string;
  /** The verification's status when read (expiry applied). */
  status: string;
  /** ISO 8601 time of the send. */
  at: string;
}

interface Sent<T extends CodeHolder> {
  verification: T;
  channel: VerifyChannel;
  at: number;
  body: string;
}

/** Every code sent, on every channel, oldest first; O(1) per send, indexed by destination. */
export class VerifyCodeLog<T extends CodeHolder> {
  private all: Array<Sent<T>> = [];
  private byTo = new Map<string, Array<Sent<T>>>();

  record(verification: T, channel: VerifyChannel, at: number, body: string): void {
    const sent = { verification, channel, at, body };
    this.all.push(sent);
    const key = destinationKey(verification.to);
    const list = this.byTo.get(key);
    if (list) list.push(sent);
    else this.byTo.set(key, [sent]);
  }

  /** The sends to `to` (all when omitted), newest last; `statusOf` reads each verification's live status. */
  list(to: string | undefined, statusOf: (verification: T) => string): CodeLogEntry[] {
    const sends = to === undefined ? this.all : (this.byTo.get(destinationKey(to)) ?? []);
    return sends.map(({ verification, channel, at, body }) => ({
      to: verification.to,
      channel,
      code: verification.code,
      verificationSid: verification.sid,
      body,
      status: statusOf(verification),
      at: iso8601(at),
    }));
  }
}

/** Emails compare case-insensitively; phone numbers as given. */
export function destinationKey(to: string): string {
  return to.includes('@') ? to.toLowerCase() : to;
}
