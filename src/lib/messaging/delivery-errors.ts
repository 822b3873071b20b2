/**
 * What a failed delivery's Twilio error code means for the sender, and whether a later automatic
 * re-send is worth it: ONE table, used by `GET /sms/message` (`error`) and by the scheduled
 * re-sends (`TRANSIENT_DELIVERY_ERRORS`). Facts come from Twilio's error dictionary,
 * https://www.twilio.com/docs/api/errors/<code>, written in our own words.
 *
 * Looked up but left out: 30044. No Twilio page for it could be found, so it gets the generic
 * explanation (a link to Twilio's page) rather than a guess.
 */

type DeliveryChannel = 'sms' | 'whatsapp' | 'any';

export interface DeliveryErrorFacts {
  /** What happened, in one short sentence. */
  meaning: string;
  /** What the sender should do. */
  action: string;
  /** Worth a later automatic re-send (the failure can pass by itself). */
  transient: boolean;
  channel: DeliveryChannel;
}

/** What callers of `GET /sms/message` see as `error`. */
export interface DeliveryErrorExplanation {
  code: number;
  meaning: string;
  action: string;
}

const twilioErrorUrl = (code: number): string => `https://www.twilio.com/docs/api/errors/${code}`;

export const DELIVERY_ERRORS: Readonly<Record<number, DeliveryErrorFacts>> = {
  // Twilio suggests sending again after a wait, but the queue overflowed at our own send rate:
  // an automatic re-send only adds to it.
  30001: {
    meaning: "The message waited in Twilio's send queue longer than allowed (10 hours) and was dropped.",
    action: 'Send more slowly or spread the traffic over more senders, then send again.',
    transient: false,
    channel: 'any',
  },
  30002: {
    meaning: 'Twilio suspended the account after the message was queued, so it was never sent.',
    action: "Resolve the suspension (billing or Twilio's policy notice) before sending again.",
    transient: false,
    channel: 'any',
  },
  // Twilio: the handset is off, out of coverage or roaming, often only for a while; it suggests
  // trying again.
  30003: {
    meaning: "The recipient's phone could not be reached: switched off, without signal or roaming.",
    action: 'Send again later; if it keeps failing, check that the number can receive texts.',
    transient: true,
    channel: 'sms',
  },
  30004: {
    meaning: 'The destination blocks this message, for example after an opt-out or a do-not-disturb listing.',
    action: 'Do not resend; the recipient has to opt back in or unblock the sender.',
    transient: false,
    channel: 'sms',
  },
  30005: {
    meaning: 'The carrier does not know this number; it may no longer be in service.',
    action: 'Check the number and ask the recipient for a current one.',
    transient: false,
    channel: 'sms',
  },
  30006: {
    meaning: 'The number cannot take texts: a landline, or a carrier this sender cannot reach.',
    action: 'Call instead or ask for a mobile number; check the line type with Lookup before sending.',
    transient: false,
    channel: 'sms',
  },
  30007: {
    meaning: 'Twilio or the carrier filtered the message as spam or against its rules.',
    action: 'Review the content, the consent and the sender registration; do not resend it unchanged.',
    transient: false,
    channel: 'sms',
  },
  // Twilio: the carrier gave no reason. Retried like 30003, as before this table: a failure the
  // carrier cannot explain is no proof that the number is bad.
  30008: {
    meaning: 'The carrier reported a failure without saying why.',
    action: 'Send again later; if it repeats, contact Twilio Support with the message SID.',
    transient: true,
    channel: 'sms',
  },
  // Twilio documents 30009 as a MISSING INBOUND segment: part of a long message sent TO our number
  // never arrived. It is not an outcome of our outbound delivery, so re-sending cannot help.
  30009: {
    meaning: 'Part of a long message sent to your number never reached Twilio.',
    action: 'Ask the sender to send the message again.',
    transient: false,
    channel: 'sms',
  },
  30010: {
    meaning: 'The price was above the MaxPrice set on the request (MaxPrice is obsolete).',
    action: 'Stop sending MaxPrice, then send again.',
    transient: false,
    channel: 'any',
  },
  30032: {
    meaning: 'The toll-free sender is not verified, and unverified toll-free traffic to the US and Canada is blocked.',
    action: 'Complete toll-free verification for the sender before sending.',
    transient: false,
    channel: 'sms',
  },
  30034: {
    meaning: 'The US 10DLC sender is not registered to an approved A2P campaign, so carriers block it.',
    action: 'Register the number to an approved A2P 10DLC campaign, then send again.',
    transient: false,
    channel: 'sms',
  },
  30036: {
    meaning: "The message stayed in Twilio's queue past its validity period and was not sent.",
    action: 'Lower the send rate or raise ValidityPeriod, then send again.',
    transient: false,
    channel: 'any',
  },
  // Twilio lifts this block after 15 to 30 minutes, but it is a fraud defence: automatic re-sends
  // are the traffic it is there to stop, so a person decides.
  30450: {
    meaning: "Twilio's SMS pumping protection blocked this destination for a short while.",
    action: 'Check the traffic is genuine, send again after about 30 minutes, and safe-list genuine numbers.',
    transient: false,
    channel: 'sms',
  },
  // Twilio: an internal anomaly; its own advice is to send the message again.
  30500: {
    meaning: 'Twilio hit an internal error while handling the message.',
    action: 'Send again; if that fails too, contact Twilio Support with the message SIDs.',
    transient: true,
    channel: 'any',
  },
  21211: {
    meaning: "The 'To' number is not a valid phone number.",
    action: 'Correct the number (E.164, for example +14155550142).',
    transient: false,
    channel: 'any',
  },
  21408: {
    meaning: "Sending to this country is not enabled in the account's SMS geographic permissions.",
    action: 'Enable the country in the Console (Messaging geo permissions) if you mean to send there.',
    transient: false,
    channel: 'sms',
  },
  21610: {
    meaning: 'The recipient replied STOP to this sender and has opted out.',
    action: 'Do not send again; the recipient has to text START to opt back in.',
    transient: false,
    channel: 'sms',
  },
  21612: {
    meaning: 'Twilio cannot connect this sender to this recipient.',
    action: 'Check the sender can reach this destination (country, number type) or use another sender.',
    transient: false,
    channel: 'any',
  },
  21614: {
    meaning: "The 'To' number is not a mobile number that can take texts (a landline or an invalid number).",
    action: 'Ask for a mobile number, or call instead.',
    transient: false,
    channel: 'sms',
  },
  63003: {
    meaning: 'The channel could not find the recipient: the address is wrong or no longer in use.',
    action: 'Check the number is right and still uses WhatsApp.',
    transient: false,
    channel: 'whatsapp',
  },
  63016: {
    meaning: 'A free-form message was sent after the 24-hour customer service window had closed.',
    action: 'Send an approved template (contentSid), or wait for the user to write first.',
    transient: false,
    channel: 'whatsapp',
  },
  // Twilio: the account's rate or WhatsApp's messaging limit for the sender was exceeded; a rate
  // limit passes by itself. For WhatsApp's tier limit Twilio says it lifts 24 hours after the
  // conversations were opened, so the bounded re-sends (SMS_RETRY_MAX) may fail the same way.
  63018: {
    meaning: 'The sender went over a rate limit: the account rate, or the messaging limit WhatsApp sets for the sender.',
    action: 'Send more slowly; a WhatsApp tier limit lifts 24 hours after the conversations were opened.',
    transient: true,
    channel: 'whatsapp',
  },
  63021: {
    meaning: 'The channel rejected the content: unsupported media, or template text over 1024 characters.',
    action: 'Fix the media type or shorten the template variables, then send again.',
    transient: false,
    channel: 'whatsapp',
  },
  63024: {
    meaning: 'Meta refused the recipient: no WhatsApp on this number, terms not accepted, or an outdated app.',
    action: 'Confirm the number uses WhatsApp; ask the user to update the app and accept the terms.',
    transient: false,
    channel: 'whatsapp',
  },
  // Twilio: Meta's experiment has no set end, and retrying later does not help outside a conversation.
  63032: {
    meaning: 'Meta withholds marketing templates from this user as part of one of its experiments.',
    action: 'Reach the user another way (SMS), or message them inside an open conversation.',
    transient: false,
    channel: 'whatsapp',
  },
  63038: {
    meaning: 'The account reached its message limit for a rolling 24 hours (trial accounts: 50).',
    action: 'Wait for the 24-hour window to pass, or upgrade or ask Twilio Support for a higher limit.',
    transient: false,
    channel: 'any',
  },
  // Twilio: never delivered to US numbers (since April 2025); elsewhere retry only much later, with
  // growing delays. Our re-sends cannot tell the two apart, so a person decides.
  63049: {
    meaning: 'Meta chose not to deliver this WhatsApp marketing template (never to US numbers).',
    action: 'Use SMS for US recipients; elsewhere try much later, or use a Utility template if it is transactional.',
    transient: false,
    channel: 'whatsapp',
  },
};

/** The codes worth a later automatic re-send, from the table above. */
export const TRANSIENT_DELIVERY_ERRORS: ReadonlySet<number> = new Set(
  Object.entries(DELIVERY_ERRORS)
    .filter(([, facts]) => facts.transient)
    .map(([code]) => Number(code)),
);

export const isTransientDeliveryError = (code: number | undefined): boolean => code !== undefined && TRANSIENT_DELIVERY_ERRORS.has(code);

/** The sender-facing explanation of a delivery error code; `null` when there is no error. */
export function explainDeliveryError(code: number | undefined): DeliveryErrorExplanation | null {
  if (code === undefined || !Number.isInteger(code) || code <= 0) return null;
  const facts = DELIVERY_ERRORS[code];
  if (facts) return { code, meaning: facts.meaning, action: facts.action };
  return {
    code,
    meaning: `Twilio reported error ${code}, which this service does not describe itself: see ${twilioErrorUrl(code)}.`,
    action: "Read Twilio's page for this code before sending again.",
  };
}
