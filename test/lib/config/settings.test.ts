import { publicBaseUrl, readSettings } from '../../../src/lib/config/settings';

describe('readSettings', () => {
  it('has safe defaults for every setting', () => {
    const settings = readSettings({});
    expect(settings).toMatchObject({ syncServiceSid: 'default', maxSegments: 10, deliveryAlertRate: 0.95, smsRetryMax: 2, optOutReplies: 'twilio' });
    expect(settings.verify).toMatchObject({ channels: ['sms', 'call'], allowedOrigins: [], maxSends: 3, windowMinutes: 10, lookupPumpingRisk: false, escalation: 'offer' });
    expect(settings.triggeredLimits).toEqual({ perNumber: 3, perRange: 30 });
  });

  it('allows only the country of TWILIO_PHONE_NUMBER when ALLOWED_COUNTRIES is empty, and any country only with "*"', () => {
    expect(readSettings({ TWILIO_PHONE_NUMBER: '+15005550006' }).allowedCountries).toEqual(['US']);
    expect(readSettings({ TWILIO_PHONE_NUMBER: '+447400123456', ALLOWED_COUNTRIES: '' }).allowedCountries).toEqual(['GB']);
    expect(readSettings({}).allowedCountries).toEqual([]);
    expect(readSettings({ ALLOWED_COUNTRIES: '*' }).allowedCountries).toBe('any');
  });

  it.each([
    ['ALLOWED_COUNTRIES', 'US,USA', (s: ReturnType<typeof readSettings>) => s.allowedCountries, []],
    ['ALERT_SMS_TO', '2025550177', (s: ReturnType<typeof readSettings>) => s.alertSmsTo, undefined],
    ['VOICEMAIL_NOTIFY_TO', 'team@example.com', (s: ReturnType<typeof readSettings>) => s.voice.voicemailNotifyTo, undefined],
    ['FORWARD_TO', '+1 555 123 4567', (s: ReturnType<typeof readSettings>) => s.forwardTo, undefined],
  ])('isolates a bad %s: it is named in problems and fails closed, the rest still reads', (name, value, read, closed) => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const settings = readSettings({ [name]: value, TWILIO_PHONE_NUMBER: '+15005550006' });
    spy.mockRestore();
    expect(settings.problems).toEqual([name]);
    expect(read(settings)).toEqual(closed);
    expect(settings.optOutReplies).toBe('twilio');
  });

  it('reads staff numbers as E.164', () => {
    const settings = readSettings({ ALERT_SMS_TO: '+1 (202) 555-0177', VOICEMAIL_NOTIFY_TO: '+12025550178', FORWARD_TO: '+447400123456' });
    expect([settings.alertSmsTo, settings.voice.voicemailNotifyTo, settings.forwardTo]).toEqual(['+12025550177', '+12025550178', '+447400123456']);
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
    ['TRIGGERED_SENDS_PER_HOUR', '-1'],
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
