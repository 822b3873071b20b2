import { readSettings } from '../../../src/lib/config/settings';
import { readWhatsAppSend } from '../../../src/lib/whatsapp/send-request';
import { errorWith } from '../../support/match';

const settings = readSettings({});
const HX = `HX${'a'.repeat(32)}`;

describe('readWhatsAppSend', () => {
  it('reads the user with or without whatsapp:, a body, one media item and a template', () => {
    expect(readWhatsAppSend({ to: 'whatsapp:+447400123456', body: 'Hi' }, settings)).toEqual({ to: '+447400123456', body: 'Hi' });
    expect(readWhatsAppSend({ to: '+44 7400 123456', mediaUrl: 'https://media.example/menu.pdf' }, settings)).toEqual({
      to: '+447400123456',
      mediaUrl: 'https://media.example/menu.pdf',
    });
    expect(readWhatsAppSend({ to: '+447400123456', contentSid: HX, contentVariables: '{"1":"A-1042","2":3}' }, settings)).toEqual({
      to: '+447400123456',
      contentSid: HX,
      contentVariables: { 1: 'A-1042', 2: '3' },
    });
    expect(readWhatsAppSend({ to: '+447400123456', contentSid: HX, contentVariables: { 1: 'x' } }, settings).contentVariables).toEqual({
      1: 'x',
    });
  });

  it.each([
    ['no content at all', { to: '+447400123456' }, 'missing_parameter'],
    ['a body over 1600 characters (the Messages API limit)', { to: '+447400123456', body: 'x'.repeat(1601) }, 'body_too_long'],
    ['two media items', { to: '+447400123456', mediaUrl: ['https://m.example/a.png', 'https://m.example/b.png'] }, 'too_many_media'],
    ['an unsupported media type', { to: '+447400123456', mediaUrl: 'https://m.example/a.exe' }, 'unsupported_media'],
    ['a media URL that is not http(s)', { to: '+447400123456', mediaUrl: 'ftp://m.example/a.png' }, 'invalid_media_url'],
    ['a contentSid that is not HX…', { to: '+447400123456', contentSid: 'template-1' }, 'invalid_parameter'],
    ['contentVariables that are not JSON', { to: '+447400123456', contentSid: HX, contentVariables: '{1:' }, 'invalid_parameter'],
    ['an invalid number', { to: 'whatsapp:+1 555 123 4567', body: 'hi' }, 'invalid_phone_number'],
  ])('refuses %s', (_name, params, code) => {
    expect(() => readWhatsAppSend(params, settings)).toThrow(errorWith({ status: 400, code }));
  });

  it('accepts exactly 1600 characters', () => {
    expect(readWhatsAppSend({ to: '+447400123456', body: 'x'.repeat(1600) }, settings).body).toHaveLength(1600);
  });
});
