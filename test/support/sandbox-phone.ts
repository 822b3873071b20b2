import { createTwilioClient } from '../../src/lib/twilio/client';
import type { TwilioClient } from '../../src/lib/twilio/sdk';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_PHONE_NUMBER, stack } from './stack';

interface PhoneReply {
  sid: string;
  from: string | null;
  to: string;
  body: string;
  mediaUrls: string[];
}

export interface TextResult {
  messageSid: string;
  webhook: { url: string; status: number | null; body: string };
  replies: PhoneReply[];
}

/** A person texting our number through the sandbox (the run's, or `sandboxUrl`'s): signed webhook, TwiML replies recorded. */
export async function textFromPhone(
  from: string,
  body: string,
  { to = TEST_PHONE_NUMBER, mediaUrls = [] as string[], sandboxUrl = stack().sandboxUrl } = {},
): Promise<TextResult> {
  const response = await fetch(`${sandboxUrl}/_sandbox/phone/sms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from, to, body, mediaUrls }),
  });
  if (!response.ok) throw new Error(`sandbox phone: ${response.status} ${await response.text()}`);
  return (await response.json()) as TextResult;
}

/** twilio-node pointed at the run's sandbox. */
export function sandboxClient(): TwilioClient {
  return createTwilioClient({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, sandboxUrl: stack().sandboxUrl });
}

/** Real US area codes; with the fictional 555-0100…0199 lines each gives 100 valid test numbers. */
const AREA_CODES = (
  '201 202 203 205 206 207 208 209 210 212 213 214 215 216 217 218 219 224 225 228 229 231 234 239 240 ' +
  '248 251 252 253 254 256 260 262 267 269 270 276 281 301 302 303 304 305 307 308 309 310 312 313 314'
).split(' ');

/**
 * Test files run in parallel against one sandbox, so each draws numbers from its own area code:
 * add a file here before it calls `phoneBook`.
 */
const BOOKS = [
  'sms-incoming',
  'sms-optout',
  'sms-send',
  'sms-status',
  'verify-start',
  'verify-check',
  'verify-defences',
  'opt-out-intent',
  'sender-registration',
] as const;

/**
 * A function returning a fresh valid US number per call, never shared with another test file.
 * The sandbox's Lookup types 555-0100…0149 as mobile, 015x landline, 016x fixed VoIP, 017x
 * non-fixed VoIP, 019x unknown: `mobileOnly` keeps to the first 50.
 */
export function phoneBook(book: (typeof BOOKS)[number], { mobileOnly = false } = {}): () => string {
  const area = AREA_CODES[BOOKS.indexOf(book)];
  const last = mobileOnly ? 49 : 99;
  let line = 0;
  return () => {
    if (line > last) throw new Error(`phone book ${book} is exhausted`);
    return `+1${area}55501${String(line++).padStart(2, '0')}`;
  };
}

/** A landline in a book's area (the sandbox's Lookup types 555-015x as landline). */
export const landlineIn = (book: (typeof BOOKS)[number], digit = 0): string => `+1${AREA_CODES[BOOKS.indexOf(book)]}555015${digit}`;

/** The latest verification code the sandbox delivered to `to` on any channel. */
export async function latestCode(to: string, sandboxUrl = stack().sandboxUrl): Promise<string> {
  const response = await fetch(`${sandboxUrl}/_sandbox/verify/codes?to=${encodeURIComponent(to)}`);
  const codes = (await response.json()) as Array<{ code: string }>;
  if (codes.length === 0) throw new Error(`no code was sent to ${to}`);
  return codes[codes.length - 1].code;
}
