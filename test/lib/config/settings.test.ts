import { readdirSync } from 'node:fs';
import path from 'node:path';
import { SRC_DIR } from '../../../local/layout';
import { CLIENT_SETTINGS } from '../../../src/lib/config/schema';
import { BROKEN_VALUES } from './broken-values';
import {
  ALL_SETTINGS,
  checkSettings,
  publicBaseUrl,
  readSettings,
  refuseBroken,
  settingsDisabling,
  type Settings,
} from '../../../src/lib/config/settings';
import { errorWith, match } from '../../support/match';
import { quietly } from '../../support/quietly';

describe('the settings schema', () => {
  it('has a broken value in this test for every setting it declares', () => {
    expect(Object.keys(BROKEN_VALUES).sort()).toEqual(ALL_SETTINGS.map((spec) => spec.name).sort());
  });

  it.each(Object.entries(BROKEN_VALUES))(
    'refuses %s=%j with a line naming it, what is wrong and the fix, never its value',
    (name, value) => {
      const line = checkSettings({ [name]: value }).find((problem) => problem.name === name);
      expect(line).toEqual({ name, problem: match.any(String), fix: match.any(String) });
      if (value.length > 3) expect(`${line?.problem} ${line?.fix}`).not.toContain(value);
    },
  );

  it('declares routes to turn off only for API and browser actions, never a Twilio webhook', () => {
    const webhooks = readdirSync(path.join(SRC_DIR, 'functions'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.protected.ts'))
      .map((file) => `/${file.replace(/\\/g, '/').replace(/\.protected\.ts$/, '')}`);
    expect(webhooks).toContain('/sms/incoming');
    for (const spec of ALL_SETTINGS) for (const route of spec.disables ?? []) expect(webhooks).not.toContain(route);
  });

  it("keeps STOP/START/HELP and status callbacks free of optional settings: only the client's credentials and the Sync service can stop them", () => {
    const optional = ALL_SETTINGS.map((spec) => spec.name).filter(
      (name) => !(CLIENT_SETTINGS as readonly string[]).includes(name) && name !== 'SYNC_SERVICE_SID',
    );
    const settings = quietly(() => readSettings(Object.fromEntries(optional.map((name) => [name, BROKEN_VALUES[name]]))));
    expect([...settings.problems].sort()).toEqual(optional.sort());
    for (const route of ['/sms/incoming', '/sms/status', '/whatsapp/incoming', '/voice/status'])
      expect(settingsDisabling(settings, route)).toEqual([]);
  });
});

describe('readSettings', () => {
  it('has safe defaults for every setting', () => {
    const settings = readSettings({});
    expect(settings).toMatchObject({
      problems: [],
      syncServiceSid: 'default',
      maxSegments: 10,
      deliveryAlertRate: 0.95,
      smsRetryMax: 2,
      optOutReplies: 'twilio',
    });
    expect(settings.verify).toMatchObject({
      channels: ['sms', 'call'],
      allowedOrigins: [],
      maxSends: 3,
      windowMinutes: 10,
      lookupPumpingRisk: false,
      escalation: 'offer',
    });
    expect(settings.triggeredLimits).toEqual({ perNumber: 3, perRange: 30 });
    expect(settings.whatsapp).toEqual({ keywords: {}, helpText: match.stringContaining('support') });
    expect(settings.voice).toEqual({ maxRetries: 2, voiceName: 'Polly.Joanna', language: 'en-US' });
  });

  it('allows only the country of TWILIO_PHONE_NUMBER when ALLOWED_COUNTRIES is empty, and any country only with "*"', () => {
    expect(readSettings({ TWILIO_PHONE_NUMBER: '+15005550006' }).allowedCountries).toEqual(['US']);
    expect(readSettings({ TWILIO_PHONE_NUMBER: '+447400123456', ALLOWED_COUNTRIES: '' }).allowedCountries).toEqual(['GB']);
    expect(readSettings({}).allowedCountries).toEqual([]);
    expect(readSettings({ ALLOWED_COUNTRIES: '*' }).allowedCountries).toBe('any');
  });

  it.each([
    ['ALLOWED_COUNTRIES', 'US,USA', (s: Settings) => s.allowedCountries, []],
    ['MARKETING_HOURS', 'FL=20:00-08:00', (s: Settings) => s.marketingHours, { default: { start: 0, end: 0 }, states: {} }],
    ['ALERT_SMS_TO', '2025550177', (s: Settings) => s.alertSmsTo, undefined],
    ['VOICEMAIL_NOTIFY_TO', 'team@example.com', (s: Settings) => s.voice.voicemailNotifyTo, undefined],
    ['FORWARD_TO', '+1 555 123 4567', (s: Settings) => s.forwardTo, undefined],
    ['OPT_OUT_REPLIES', 'sometimes', (s: Settings) => s.optOutReplies, 'twilio'],
    ['TRIGGERED_SENDS_PER_HOUR', '-1', (s: Settings) => s.triggeredLimits.perNumber, 0],
    ['SMS_RETRY_MAX', 'lots', (s: Settings) => s.smsRetryMax, 0],
    ['DELIVERY_ALERT_RATE', '1.5', (s: Settings) => s.deliveryAlertRate, 0],
    ['VERIFY_CHANNELS', 'sms,pigeon', (s: Settings) => s.verify.channels, []],
    ['WHATSAPP_KEYWORDS', '{bad', (s: Settings) => s.whatsapp.keywords, {}],
    ['PAY_CONNECTOR', 'my connector', (s: Settings) => s.voice.payConnector, undefined],
  ])('isolates a bad %s: named in problems, fails closed, never throws, the rest still reads', (name, value, read, closed) => {
    const settings = quietly(() => readSettings({ [name]: value, TWILIO_PHONE_NUMBER: '+15005550006', MAX_SEGMENTS: '4' }));
    expect(settings.problems).toEqual([name]);
    expect(read(settings)).toEqual(closed);
    expect(settings.maxSegments).toBe(4);
  });

  it('reads staff numbers as E.164, and a WhatsApp sender with or without its whatsapp: prefix', () => {
    const settings = readSettings({
      ALERT_SMS_TO: '+1 (202) 555-0177',
      VOICEMAIL_NOTIFY_TO: '+12025550178',
      FORWARD_TO: '+447400123456',
      WHATSAPP_FROM: 'whatsapp:+14155550142',
    });
    expect([settings.alertSmsTo, settings.voice.voicemailNotifyTo, settings.forwardTo, settings.whatsappFrom]).toEqual([
      '+12025550177',
      '+12025550178',
      '+447400123456',
      '+14155550142',
    ]);
  });

  it('reads lists, words and numbers, trimming, in any case', () => {
    const settings = readSettings({
      ALLOWED_COUNTRIES: ' us, ca ',
      VERIFY_CHANNELS: 'SMS, email',
      ALLOWED_ORIGINS: 'https://app.example/, https://www.app.example',
      MAX_SEGMENTS: ' 4 ',
      LOOKUP_SMS_PUMPING_RISK: 'TRUE',
      VERIFY_ESCALATION: 'Switch',
      DEFAULT_COUNTRY: 'gb',
      FUNCTION_BUDGET_MS: ' 3000 ',
      WHATSAPP_KEYWORDS: '{"Order  Status!":"Send your order number."}',
    });
    expect(settings.problems).toEqual([]);
    expect(settings.allowedCountries).toEqual(['US', 'CA']);
    expect(settings.verify).toMatchObject({
      channels: ['sms', 'email'],
      allowedOrigins: ['https://app.example', 'https://www.app.example'],
      lookupPumpingRisk: true,
      escalation: 'switch',
    });
    expect(settings.maxSegments).toBe(4);
    expect(settings.defaultCountry).toBe('GB');
    expect(settings.functionBudgetMs).toBe(3000);
    expect(readSettings({}).functionBudgetMs).toBe(9000);
    expect(quietly(() => readSettings({ FUNCTION_BUDGET_MS: '10000' })).functionBudgetMs).toBe(9000);
    expect(settings.whatsapp.keywords).toEqual({ 'order status': 'Send your order number.' });
  });

  it('parses once per set of values (the runtime builds a new context per request), logs a broken value once, and shares a frozen result', () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const env = { MAX_SEGMENTS: 'eleventy', TWILIO_PHONE_NUMBER: '+15005550006', DOMAIN_NAME: 'cache-test.twil.io' };
    const first = readSettings({ ...env });
    const second = readSettings({ ...env, PATH: '/sms/send' });
    const logged = spy.mock.calls.filter(([line]) => String(line).includes('setting_invalid')).length;
    spy.mockRestore();
    expect(second).toBe(first);
    expect(logged).toBe(1);
    expect(Object.isFrozen(first) && Object.isFrozen(first.verify.channels)).toBe(true);
    expect(readSettings({ ...env, MAX_SEGMENTS: '5' })).not.toBe(first);
  });
});

describe('refuseBroken and settingsDisabling', () => {
  const settings = quietly(() => readSettings({ MAX_SEGMENTS: 'ten', VERIFY_CHANNELS: 'pigeon' }));

  it('names the broken settings a route depends on', () => {
    expect(settingsDisabling(settings, '/sms/send')).toEqual(['MAX_SEGMENTS']);
    expect(settingsDisabling(settings, '/verify/start')).toEqual(['VERIFY_CHANNELS']);
    expect(settingsDisabling(settings, '/sms/incoming')).toEqual([]);
  });

  it('answers 503 not_configured naming them (and nothing when none is broken)', () => {
    expect(() => refuseBroken(settings, ['MAX_SEGMENTS', 'API_KEY'], '/sms/send')).toThrow(
      errorWith({
        status: 503,
        code: 'not_configured',
        message: 'MAX_SEGMENTS is not valid, so /sms/send is off until it is fixed (see /health)',
      }),
    );
    expect(() => refuseBroken(settings, ['API_KEY'], 'x')).not.toThrow();
  });
});

describe('publicBaseUrl', () => {
  it('prefers PUBLIC_BASE_URL, else https on the Service domain, http on localhost', () => {
    expect(publicBaseUrl({ PUBLIC_BASE_URL: 'https://abc.ngrok.app/', DOMAIN_NAME: 'x.twil.io' })).toBe('https://abc.ngrok.app');
    expect(publicBaseUrl({ DOMAIN_NAME: 'comms-1234-dev.twil.io' })).toBe('https://comms-1234-dev.twil.io');
    expect(publicBaseUrl({ DOMAIN_NAME: 'localhost:3000' })).toBe('http://localhost:3000');
    expect(publicBaseUrl({ DOMAIN_NAME: '[::1]:3000' })).toBe('http://[::1]:3000');
    expect(publicBaseUrl({ DOMAIN_NAME: 'localhost.example.com' })).toBe('https://localhost.example.com');
    expect(publicBaseUrl({ PUBLIC_BASE_URL: 'abc.ngrok.app', DOMAIN_NAME: 'comms-1234-dev.twil.io' })).toBe(
      'https://comms-1234-dev.twil.io',
    );
  });
});
