import twilio from 'twilio';
import { bodySha256, computeSignature, signJsonWebhook } from '../../sandbox/webhooks/signature';

// Twilio's published test vector (twilio-node's own webhook tests).
const TOKEN = '12345';
const URL_WITH_QUERY = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675309',
  Digits: '1234',
  From: '+14158675309',
  To: '+18005551212',
};

describe('sandbox webhook signer', () => {
  it('reproduces Twilio’s fixed test vector', () => {
    expect(computeSignature(TOKEN, URL_WITH_QUERY, PARAMS)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
  });

  it('does not depend on parameter insertion order', () => {
    const reversed = Object.fromEntries(Object.entries(PARAMS).reverse());
    expect(computeSignature(TOKEN, URL_WITH_QUERY, reversed)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
  });

  it('changes when a parameter, the URL or the token changes', () => {
    expect(computeSignature(TOKEN, URL_WITH_QUERY, { ...PARAMS, Digits: '1235' })).not.toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
    expect(computeSignature(TOKEN, `${URL_WITH_QUERY}&x=1`, PARAMS)).not.toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
    expect(computeSignature('54321', URL_WITH_QUERY, PARAMS)).not.toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
  });

  it('is accepted by twilio-node’s validateRequest, including repeated keys', () => {
    const params = { ...PARAMS, MediaUrl: ['https://b.example/2.png', 'https://a.example/1.png'] };
    const signature = computeSignature(TOKEN, URL_WITH_QUERY, params);
    expect(twilio.validateRequest(TOKEN, signature, URL_WITH_QUERY, params)).toBe(true);
    expect(twilio.validateRequest('wrong', signature, URL_WITH_QUERY, params)).toBe(false);
  });

  it('signs JSON webhooks over the URL with bodySHA256, as validateRequestWithBody expects', () => {
    const body = JSON.stringify({ event: 'delivered', sid: 'SM123' });
    const { url, signature } = signJsonWebhook(TOKEN, 'https://example.com/hook?x=1', body);
    expect(new URL(url).searchParams.get('bodySHA256')).toBe(bodySha256(body));
    expect(twilio.validateRequestWithBody(TOKEN, signature, url, body)).toBe(true);
    expect(twilio.validateRequestWithBody(TOKEN, signature, url, `${body} `)).toBe(false);
  });
});
