import { normalizePhone, numberRange } from '../../../src/lib/phone/e164';
import { errorWith } from '../../support/match';

describe('normalizePhone', () => {
  it.each([
    ['+1 202 555 0123', {}, '+12025550123'],
    ['  +1 (415) 555-0142 ', {}, '+14155550142'],
    ['(415) 555-0142', { defaultCountry: 'US' }, '+14155550142'],
    ['07400 123456', { defaultCountry: 'gb' }, '+447400123456'],
    ['+44 7400 123456', { defaultCountry: 'US' }, '+447400123456'],
    ['+15005550006', {}, '+15005550006'],
  ])('reads %s as E.164', (input, rules, e164) => {
    expect(normalizePhone(input, rules).e164).toBe(e164);
  });

  it.each([
    ['a national number without DEFAULT_COUNTRY', '(415) 555-0142'],
    ['a number in no area code', '+1 555 123 4567'],
    ['too short', '12345'],
    ['too long', '+1415555014299999'],
    ['far too long to parse', '+1'.padEnd(60, '5')],
    ['letters', 'call me'],
    ['empty', '   '],
  ])('refuses %s with 400 invalid_phone_number', (_name, input) => {
    expect(() => normalizePhone(input)).toThrow(errorWith({ status: 400, code: 'invalid_phone_number' }));
  });

  it('reads the country but does not judge it (the gate does)', () => {
    expect(normalizePhone('+44 7400 123456')).toEqual({ e164: '+447400123456', country: 'GB' });
  });
});

describe('numberRange', () => {
  it('is the number without its last 4 digits', () => expect(numberRange('+12025550123')).toBe('+1202555'));
});
