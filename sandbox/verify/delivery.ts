import type { VerifyCodeLog } from './codes';
import type { VerifyChannel } from './magic';
import type { VerifyServiceRecord } from './services';
import type { VerificationRecord } from './verifications';

export interface CodeDeliveryDeps {
  /** Sends an outbound text as a Message of the account (listed by the Messages API). */
  sendText: (message: { from: string; to: string; body: string }) => void;
  /** The account's first number: the sender of SMS and WhatsApp codes. */
  senderNumber: string;
  codeLog: VerifyCodeLog<VerificationRecord>;
  now: () => number;
}

/** The code message, in Twilio's default wording ("Your {friendly_name} verification code is: {code}"). */
export function codeMessage(service: VerifyServiceRecord, code: string): string {
  return `Your ${service.friendlyName} verification code is: ${code}`;
}

/**
 * Delivers the verification's code on `channel`: SMS and WhatsApp codes become outbound
 * Messages to the phone (WhatsApp as `whatsapp:+…`), so a person trying the product locally
 * can read them; every channel, call and email included, lands in the code log
 * (`GET /_sandbox/verify/codes`).
 */
export function deliverCode(verification: VerificationRecord, service: VerifyServiceRecord, channel: VerifyChannel, deps: CodeDeliveryDeps): void {
  const body = codeMessage(service, verification.code);
  if (channel === 'sms') deps.sendText({ from: deps.senderNumber, to: verification.to, body });
  if (channel === 'whatsapp') deps.sendText({ from: `whatsapp:${deps.senderNumber}`, to: `whatsapp:${verification.to}`, body });
  deps.codeLog.record(verification, channel, deps.now());
}
