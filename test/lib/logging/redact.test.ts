import { maskPhone, maskSecret, redactText } from '../../../src/lib/logging/redact';

describe('redaction', () => {
  it('masks phone numbers, keeping prefix and last two digits', () => {
    expect(maskPhone('+14155550142')).toBe('+1415*****42');
    expect(maskPhone('whatsapp:+447400123456')).toBe('whatsapp:+4474******56');
    expect(maskPhone('12345')).toBe('*****');
  });

  it('masks phone numbers inside free text', () => {
    expect(redactText("The 'To' number +1 415 555 0142 is not valid")).toBe("The 'To' number +1415*****42 is not valid");
    expect(redactText('no numbers here, just 2026')).toBe('no numbers here, just 2026');
  });

  it.each([
    ['/sms/optout?number=%2B1%20415%20555%200142', '/sms/optout?number=+1415*****42'],
    ['/sms/optout?number=+1+415+555+0142', '/sms/optout?number=+1415*****42'],
    ['/sms/optout?number=415.555.0142', '/sms/optout?number=41555***42'],
  ])('masks numbers written the way URLs carry them: %s', (text, masked) => expect(redactText(text)).toBe(masked));

  it('leaves IPv4 addresses alone', () => {
    expect(redactText('connect ECONNREFUSED 127.0.0.1:3001')).toBe('connect ECONNREFUSED 127.0.0.1:3001');
    expect(redactText('from 192.168.100.200')).toBe('from 192.168.100.200');
  });

  it('keeps Twilio SIDs whole, even with a long run of digits, and still masks a number beside one', () => {
    const sid = 'SM5281a7ee072c54944f6cd8ae43cbf9340'.slice(0, 34);
    const digits = 'CA12345678901234567890123456789012';
    expect(redactText(`sent ${sid} and ${digits} to +14155550142`)).toBe(`sent ${sid} and ${digits} to +1415*****42`);
  });

  it('shows only the tail of secrets', () => {
    expect(maskSecret(undefined)).toBe('(not set)');
    expect(maskSecret('abcdefghijklmnop')).toBe('********mnop');
    expect(maskSecret('short')).toBe('*****');
  });
});
