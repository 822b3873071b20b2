/**
 * Twilio's documented test "magic numbers" for SMS
 * (https://www.twilio.com/docs/iam/test-credentials#test-sms-messages). The sandbox applies
 * them to every Messages create, whatever the credentials.
 */
export interface MagicError {
  code: number;
  message: string;
}

/** `To` numbers that make a Messages create fail with HTTP 400. */
export const MAGIC_TO: Readonly<Record<string, MagicError>> = {
  '+15005550001': { code: 21211, message: "Invalid 'To' Phone Number: +15005550001" },
  '+15005550002': {
    code: 21612,
    message: "The 'To' phone number: +15005550002, is not currently reachable using the 'From' phone number via SMS.",
  },
  '+15005550003': {
    code: 21408,
    message: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: +15005550003.",
  },
  '+15005550004': { code: 21610, message: 'Attempt to send to unsubscribed recipient' },
  '+15005550009': { code: 21614, message: "'To' number +15005550009 is not a valid mobile number" },
};

/** `From` numbers that make a Messages create fail with HTTP 400. */
export const MAGIC_FROM: Readonly<Record<string, MagicError>> = {
  '+15005550001': {
    code: 21212,
    message: "The 'From' number +15005550001 is not a valid phone number, shortcode, or alphanumeric sender ID.",
  },
  '+15005550007': {
    code: 21606,
    message:
      "The 'From' phone number provided (+15005550007) is not a valid message-capable Twilio phone number for this destination/account.",
  },
  '+15005550008': { code: 21611, message: "This 'From' number has exceeded the maximum number of queued messages" },
};

/** The magic sender that always succeeds, owned or not. */
export const MAGIC_VALID_FROM = '+15005550006';

/**
 * How an accepted message ends. Twilio's magic numbers only make the create request fail; these
 * `To` numbers are the sandbox's own (Twilio has no such test numbers) and make the message
 * fail later, in its lifecycle, so callers can test undelivered / failed status callbacks. They
 * sit in Twilio's magic range (+1 500 555 00xx) on numbers Twilio does not use.
 */
export interface DeliveryOutcome {
  /** Final status: `failed` right after `queued`; `undelivered` after `sending` → `sent`. */
  status: 'failed' | 'undelivered';
  code: number;
  message: string;
}

/** Sandbox-specific `To` numbers whose messages are accepted but not delivered. */
export const MAGIC_DELIVERY_OUTCOMES: Readonly<Record<string, DeliveryOutcome>> = {
  '+15005550010': { status: 'undelivered', code: 30003, message: 'Unreachable destination handset' },
  '+15005550011': { status: 'undelivered', code: 30006, message: 'Landline or unreachable carrier' },
  '+15005550012': { status: 'failed', code: 30008, message: 'Unknown error' },
  '+15005550013': { status: 'undelivered', code: 21610, message: 'Attempt to send to unsubscribed recipient' },
};

/**
 * A sandbox-only `To` number (not Twilio's) whose message goes sending → sent and then hears
 * nothing more: no delivery receipt, as when a carrier filters it silently ("the status may remain
 * 'sent' ... Twilio did not receive a status update from the network",
 * https://www.twilio.com/help/faq/sms/why-are-my-messages-undelivered).
 */
export const MAGIC_NO_RECEIPT_TO = '+15005550014';
