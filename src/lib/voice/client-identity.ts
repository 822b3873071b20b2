/**
 * The identity of a Voice SDK client (a browser softphone), as `POST /token` mints it and a menu's
 * `dial` rings it (`<Dial><Client>`). Twilio allows up to 256 characters without spaces, control,
 * delimiter or unwise characters, and mobile SDKs letters, digits and `_` only
 * (https://www.twilio.com/docs/voice/twiml/client); this narrower rule (letters, digits and
 * `_ . @ -`, at most 121) keeps every identity one unambiguous word that both accept.
 */
const CLIENT_IDENTITY = /^[A-Za-z0-9_.@-]{1,121}$/;

export const CLIENT_IDENTITY_RULE = 'letters, digits and _ . @ - only (at most 121)';

export const isClientIdentity = (value: string): boolean => CLIENT_IDENTITY.test(value);
