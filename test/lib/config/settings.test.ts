import { publicBaseUrl, readSettings } from '../../../src/lib/config/settings';

describe('readSettings', () => {
  it('has safe defaults for every setting', () => {
    const settings = readSettings({});
    expect(settings).toMatchObject({ syncServiceSid: 'default', maxSegments: 10, deliveryAlertRate: 0.95, smsRetryMax: 2, optOutReplies: 'twilio' });
    expect(settings.verify).toMatchObject({ channels: ['sms', 'call'], allowedOrigins: [], maxSends: 3, windowMinutes: 10, lookupPumpingRisk: false, escalation: 'offer' });
  });

  it('reads lists and numbers, trimming', () => {
    const settings = readSettings({ ALLOWED_COUNTRIES: ' us, ca ', VERIFY_CHANNELS: 'SMS, email', ALLOWED_ORIGINS: 'https://app.example/, https://www.app.example', MAX_SEGMENTS: '4' });
    expect(settings.allowedCountries).toEqual(['US', 'CA']);
    expect(settings.verify.channels).toEqual(['sms', 'email']);
    expect(settings.verify.allowedOrigins).toEqual(['https://app.example', 'https://www.app.example']);
    expect(settings.maxSegments).toBe(4);
  });

  it.each([
    ['OPT_OUT_REPLIES', 'sometimes'],
    ['VERIFY_CHANNELS', 'sms,pigeon'],
    ['MAX_SEGMENTS', 'ten'],
    ['DELIVERY_ALERT_RATE', '1.5'],
    ['VERIFY_ESCALATION', 'always'],
  ])('refuses a bad %s with a clear not_configured error', (name, value) => {
    expect(() => readSettings({ [name]: value })).toThrow(expect.objectContaining({ status: 500, code: 'not_configured', message: expect.stringContaining(name) }));
  });
});

describe('publicBaseUrl', () => {
  it('prefers PUBLIC_BASE_URL, else https on the Service domain, http on localhost', () => {
    expect(publicBaseUrl({ PUBLIC_BASE_URL: 'https://abc.ngrok.app/', DOMAIN_NAME: 'x.twil.io' })).toBe('https://abc.ngrok.app');
    expect(publicBaseUrl({ DOMAIN_NAME: 'comms-1234-dev.twil.io' })).toBe('https://comms-1234-dev.twil.io');
    expect(publicBaseUrl({ DOMAIN_NAME: 'localhost:3000' })).toBe('http://localhost:3000');
  });
});
