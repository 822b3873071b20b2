import type { VerifyCodeLog } from './codes';
import type { VerifyChannel } from './magic';
import type { VerifyServiceRecord } from './services';
import type { VerificationRecord } from './verifications';

export interface CodeDeliveryDeps {
  codeLog: VerifyCodeLog<VerificationRecord>;
  now: () => number;
}

/** The code message, in Twilio's default wording ("Your {friendly_name} verification code is: {code}"). */
function codeMessage(service: VerifyServiceRecord, code: string): string {
  return `Your ${service.friendlyName} verification code is: ${code}`;
}

/**
 * Delivers the verification's code on `channel` to the phone, and only there: on Twilio, Verify
 * sends from its own senders, so its codes are not Messages of the account (they are billed as
 * Verify usage, not listed by the Messages API). The sandbox's phone shows them through the code
 * log: `GET /_sandbox/verify/codes` (every channel, with the text the phone shows) and the console.
 */
export function deliverCode(
  verification: VerificationRecord,
  service: VerifyServiceRecord,
  channel: VerifyChannel,
  deps: CodeDeliveryDeps,
): void {
  deps.codeLog.record(verification, channel, deps.now(), codeMessage(service, verification.code));
}
