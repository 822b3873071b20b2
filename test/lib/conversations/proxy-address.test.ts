import { readSettings } from '../../../src/lib/config/settings';
import { conversationsProxyAddress } from '../../../src/lib/conversations/proxy-address';
import { threadProxyAddress } from '../../../src/lib/conversations/service';
import { errorWith } from '../../support/match';

describe('the one proxy address per channel', () => {
  it('is CONVERSATIONS_NUMBER for SMS and whatsapp:<WHATSAPP_FROM> for WhatsApp, never the other number', () => {
    const senders = { number: '+15005550010', whatsappFrom: '+15005550011' };
    expect(conversationsProxyAddress(senders, 'sms')).toBe('+15005550010');
    expect(conversationsProxyAddress(senders, 'whatsapp')).toBe('whatsapp:+15005550011');
    expect(conversationsProxyAddress({ number: '+15005550010' }, 'whatsapp')).toBeUndefined();
  });

  it('a WhatsApp thread without WHATSAPP_FROM is 503 not_configured, not CONVERSATIONS_NUMBER or TWILIO_PHONE_NUMBER', () => {
    const env = { CONVERSATIONS_NUMBER: '+15005550010', TWILIO_PHONE_NUMBER: '+15005550006' };
    const settings = readSettings(env);
    expect(threadProxyAddress({ settings }, 'sms')).toBe('+15005550010');
    expect(() => threadProxyAddress({ settings }, 'whatsapp')).toThrow(errorWith({ status: 503, code: 'not_configured' }));
    const withSender = readSettings({ ...env, WHATSAPP_FROM: 'whatsapp:+15005550011' });
    expect(threadProxyAddress({ settings: withSender }, 'whatsapp')).toBe('whatsapp:+15005550011');
  });
});
