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

  it('shows only the tail of secrets', () => {
    expect(maskSecret(undefined)).toBe('(not set)');
    expect(maskSecret('abcdefghijklmnop')).toBe('********mnop');
    expect(maskSecret('short')).toBe('*****');
  });
});
