/**
 * Twilio's test "magic numbers" for calls (https://www.twilio.com/docs/iam/test-credentials#test-calls),
 * applied to every Calls create whatever the credentials. All 400.
 */
export interface CallMagicError {
  code: number;
  message: string;
}

export const MAGIC_CALL_TO: Readonly<Record<string, CallMagicError>> = {
  '+15005550001': { code: 21217, message: 'Phone number is not a valid phone number: +15005550001' },
  '+15005550002': { code: 21214, message: "'To' phone number cannot be reached: +15005550002" },
  '+15005550003': {
    code: 21215,
    message: 'Account not authorized to call +15005550003. Perhaps you need to enable some international permissions.',
  },
  '+15005550004': { code: 21216, message: 'Account not allowed to call +15005550004' },
};

export const MAGIC_CALL_FROM: Readonly<Record<string, CallMagicError>> = {
  '+15005550001': { code: 21212, message: 'Invalid Caller ID: +15005550001' },
};

/** The From that always works, owned or not. */
export const MAGIC_CALL_VALID_FROM = '+15005550006';
