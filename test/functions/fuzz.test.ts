import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { getExpectedBodyHash, getExpectedTwilioSignature } from 'twilio';
import { defaultConversationsService } from '../../local/conversations';
import { FUNCTIONS_DIR } from '../../local/layout';
import { createTwilioClient } from '../../src/lib/twilio/client';
import { startOwnStack, type OwnStack } from '../support/own-stack';
import { TEST_ACCOUNT_SID, TEST_API_TOKEN, TEST_AUTH_TOKEN, TEST_ORIGIN } from '../support/stack';

/** A second sandbox number, the one Conversations owns, so the Conversations routes are fuzzed too (not 503 while off). */
const CONVERSATIONS_NUMBER = '+15005550010';

/** Every built route: `/sms/send`, and whether Twilio must sign it (`*.protected`). */
function builtRoutes(): Array<{ path: string; signed: boolean }> {
  return readdirSync(FUNCTIONS_DIR, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => {
      const relative = path.relative(FUNCTIONS_DIR, path.join(entry.parentPath, entry.name)).replace(/\\/g, '/');
      return { path: `/${relative.replace(/(\.protected)?\.js$/, '')}`, signed: relative.endsWith('.protected.js') };
    });
}

/** Names a caller or an attacker would send: the routes' own, the runtime's, the prototype's, and noise. */
const NAME = fc.oneof(
  fc.constantFrom(
    'to',
    'body',
    'number',
    'sid',
    'channel',
    'code',
    'message',
    'reminder',
    'mediaUrl',
    'contentSid',
    'contentVariables',
    'limit',
    'path',
    'attempt',
  ),
  fc.constantFrom(
    'From',
    'To',
    'Body',
    'MessageSid',
    'MessageStatus',
    'ErrorCode',
    'CallSid',
    'CallStatus',
    'Digits',
    'SpeechResult',
    'RecordingSid',
    'RecordingUrl',
    'RecordingDuration',
    'NumMedia',
    'MediaUrl0',
    'TranscriptionText',
    'Result',
  ),
  fc.constantFrom(
    'request',
    'request[headers][origin]',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'a[b][c]',
    'x.y',
    '',
  ),
  fc.string({ maxLength: 20 }),
);

/** Values: ordinary, hostile text (control characters, lone surrogates, huge), and structure. */
const TEXT = fc.oneof(
  fc.constantFrom(
    '+14155550142',
    '+1 415 555 0142',
    ' 14155550142',
    '+447400123456',
    '+15005550004',
    'whatsapp:+14155550142',
    'a@example.com',
    'STOP',
    'ＳＴＯＰ',
    '1',
    '9',
    'true',
    'SM' + '0'.repeat(32),
    'HX' + 'f'.repeat(32),
    '../../etc/passwd',
    '<Say>hi</Say>',
    '{"1":"x"}',
    '%00',
    '',
  ),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ maxLength: 60 }).map((text) => `${text}\u0000\uD800`),
  fc.integer({ min: 1_000, max: 120_000 }).map((length) => 'x'.repeat(length)),
);
const VALUE: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: TEXT },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)) },
  { weight: 1, arbitrary: fc.array(TEXT, { maxLength: 30 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), TEXT, { maxKeys: 4 }) },
);

const PARAMS = fc.dictionary(NAME, VALUE, { maxKeys: 6 });

// Own stack: whatever the fuzzer sends (texts, calls, opt-outs) stays in its own sandbox.
describe('every route under malformed and hostile requests (property-based)', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack(
      async (sandbox) => ({
        CONVERSATIONS_SERVICE_SID: await defaultConversationsService(
          createTwilioClient({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, sandboxUrl: sandbox.url }),
        ),
        CONVERSATIONS_NUMBER,
      }),
      { phoneNumbers: ['+15005550006', CONVERSATIONS_NUMBER] },
    );
  });
  afterAll(() => own.close());

  it('never answers 5xx, HTML, a stack or a path, and the server stays up', async () => {
    const routes = builtRoutes();
    expect(routes.length).toBeGreaterThan(20);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.constantFrom('GET', 'POST'),
        fc.constantFrom('form', 'json', 'query'),
        PARAMS,
        fc.boolean(),
        async (route, method, encoding, params, authorised) => {
          const query = encoding === 'query' || method === 'GET';
          const form = new URLSearchParams();
          for (const [name, value] of Object.entries(params)) form.append(name, typeof value === 'string' ? value : JSON.stringify(value));
          let url = `${own.functions.url}${route.path}${query && form.size > 0 ? `?${form.toString()}` : ''}`;
          const headers: Record<string, string> = { origin: TEST_ORIGIN };
          let body: string | undefined;
          if (!query) {
            body = encoding === 'json' ? JSON.stringify(params) : form.toString();
            headers['content-type'] = encoding === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
          }
          if (authorised) headers.authorization = `Bearer ${TEST_API_TOKEN}`;
          if (route.signed) {
            // A genuine Twilio signature, so the request reaches the route's own code.
            if (encoding === 'json' && body !== undefined) url += `${url.includes('?') ? '&' : '?'}bodySHA256=${getExpectedBodyHash(body)}`;
            const signedParams = method === 'POST' && encoding === 'form' ? Object.fromEntries(new URLSearchParams(body)) : {};
            headers['x-twilio-signature'] = getExpectedTwilioSignature(TEST_AUTH_TOKEN, url, signedParams);
          }
          // Not followed: /dashboard's redirect leads to its (HTML) page, an asset, not a route's answer.
          const response = await fetch(url, { method: query ? method : 'POST', headers, body, redirect: 'manual' });
          const text = await response.text();
          const where = `${route.path} ${response.status} ${text.slice(0, 200)}`;
          expect({ where, serverError: response.status >= 500 }).toEqual({ where, serverError: false });
          // JSON, TwiML, or the consent export's CSV.
          expect(response.headers.get('content-type') ?? '').toMatch(/application\/json|text\/xml|text\/csv/);
          expect(text).not.toMatch(/<html|<pre>|\bat \S+ \(|node_modules|\/work\/|\/home\//i);
        },
      ),
      { numRuns: 250, seed: 20261201, endOnFailure: true },
    );
    expect((await fetch(`${own.functions.url}/health`)).status).toBe(200);
  });
});
