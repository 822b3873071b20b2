import { checkSignature } from '../../../sandbox/edge/signature-check';
import { computeSignature } from '../../../sandbox/webhooks/signature';

const TOKEN = 'e3'.repeat(16);
const URL = 'https://comms-1234-dev.twil.io/sms/incoming';
const form = (body: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: Buffer.from(body),
});

describe('checkSignature', () => {
  it("takes the prototype's names as ordinary parameters (the fuzzer's hasOwnProperty=… once answered 500)", () => {
    const body = 'hasOwnProperty=a&__proto__=b&constructor=c&toString=d&Body=STOP';
    // Object.fromEntries makes own properties, `__proto__` included (a literal would set the prototype).
    const signature = computeSignature(TOKEN, URL, Object.fromEntries(new URLSearchParams(body)));
    const request = form(body);
    expect(checkSignature({ ...request, headers: { ...request.headers, 'x-twilio-signature': signature } }, [URL], [TOKEN])).toEqual({
      valid: true,
    });
    expect(checkSignature({ ...request, headers: { ...request.headers, 'x-twilio-signature': 'forged' } }, [URL], [TOKEN])).toEqual({
      valid: false,
      reason: 'invalid X-Twilio-Signature',
    });
  });

  it('signs repeated parameters with their values sorted, and any of the tokens and URLs may match', () => {
    const signature = computeSignature(TOKEN, URL, { MediaUrl: ['https://b', 'https://a'] });
    const request = {
      ...form('MediaUrl=https://a&MediaUrl=https://b'),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    };
    expect(checkSignature(request, ['http://localhost:3000/sms/incoming', URL], ['f'.repeat(32), TOKEN])).toEqual({ valid: true });
    expect(checkSignature(request, ['http://localhost:3000/sms/incoming'], [TOKEN]).valid).toBe(false);
  });
});
