import { measureBody } from '../../../src/lib/sms/segments';

describe('measureBody', () => {
  it('counts GSM-7 bodies in 160 / 153-character segments', () => {
    expect(measureBody('x'.repeat(160))).toEqual({ segments: 1, encoding: 'GSM-7', characters: 160 });
    expect(measureBody('x'.repeat(161)).segments).toBe(2);
    expect(measureBody('x'.repeat(306)).segments).toBe(2);
    expect(measureBody('x'.repeat(307)).segments).toBe(3);
  });

  it('counts GSM-7 extension characters (€, [, ]) as two', () => {
    expect(measureBody('€'.repeat(80)).segments).toBe(1);
    expect(measureBody('€'.repeat(81)).segments).toBe(2);
  });

  it('switches to UCS-2 (70 / 67 per segment) for any character outside GSM-7', () => {
    expect(measureBody('héllo 😀')).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    expect(measureBody('ж'.repeat(70)).segments).toBe(1);
    expect(measureBody('ж'.repeat(71)).segments).toBe(2);
  });

  it('keeps GSM-7 with Smart Encoding for look-alike characters', () => {
    expect(measureBody('it\u2019s here').encoding).toBe('UCS-2');
    expect(measureBody('it\u2019s here', true).encoding).toBe('GSM-7');
  });
});
