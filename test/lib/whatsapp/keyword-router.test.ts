import { readSettings } from '../../../src/lib/config/settings';
import { routeKeyword } from '../../../src/lib/whatsapp/keyword-router';

const whatsapp = readSettings({
  WHATSAPP_KEYWORDS: JSON.stringify({
    'Order status': 'Send your order number.',
    order: 'Orders: reply "order status".',
    support: 'A person will answer soon.',
  }),
  WHATSAPP_HELP_TEXT: 'Reply "order status" or "support".',
}).whatsapp;

describe('routeKeyword', () => {
  it.each([
    ['order status', 'Send your order number.'],
    ['  ORDER STATUS?! ', 'Send your order number.'],
    ['order status for A-1042', 'Send your order number.'],
    ['order', 'Orders: reply "order status".'],
    ['Support', 'A person will answer soon.'],
    ['support please', 'A person will answer soon.'],
  ])('answers %j from the keyword table, longest keyword first', (body, reply) => {
    expect(routeKeyword(body, whatsapp)).toBe(reply);
  });

  it.each(['hello', 'supportive', 'orders', ''])('answers %j with the help text', (body) => {
    expect(routeKeyword(body, whatsapp)).toBe('Reply "order status" or "support".');
  });

  it('refuses a keyword table that is not a JSON object of texts: no keyword is routed, the setting is named as broken', () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    for (const value of ['not json', '["a"]', '{"a": 1}', '{"a": " "}']) {
      expect(readSettings({ WHATSAPP_KEYWORDS: value })).toMatchObject({ problems: ['WHATSAPP_KEYWORDS'], whatsapp: { keywords: {} } });
    }
    spy.mockRestore();
  });
});
