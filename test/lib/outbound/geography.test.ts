import { readAllowedCountries, refuseCountry } from '../../../src/lib/outbound/geography';

describe('readAllowedCountries (ALLOWED_COUNTRIES)', () => {
  it('defaults to the country of TWILIO_PHONE_NUMBER only', () => {
    expect(readAllowedCountries(undefined, '+15005550006')).toEqual(['US']);
    expect(readAllowedCountries('  ', '+447400123456')).toEqual(['GB']);
  });

  it('allows nothing when there is neither a list nor a number to take the country from', () => {
    expect(readAllowedCountries('', undefined)).toEqual([]);
  });

  it('takes "*" written out as any country', () => expect(readAllowedCountries(' * ', '+15005550006')).toBe('any'));

  it('reads a comma-separated ISO list in any case', () => expect(readAllowedCountries(' us, ca ,,GB', undefined)).toEqual(['US', 'CA', 'GB']));

  it('names what is wrong with a list instead of silently dropping it', () => {
    expect(() => readAllowedCountries('US, usa, *', undefined)).toThrow(
      expect.objectContaining({ code: 'not_configured', message: 'ALLOWED_COUNTRIES must be "*" or ISO country codes such as US,CA (not USA, *)' }),
    );
  });
});

describe('refuseCountry', () => {
  it('passes numbers of allowed countries and anything with "*"', () => {
    expect(() => refuseCountry(['US', 'CA'], '+12025550123')).not.toThrow();
    expect(() => refuseCountry('any', '+447400123456')).not.toThrow();
  });

  it.each([['+447400123456', 'GB'], ['+919876543210', 'IN'], ['+5511987654321', 'BR'], ['+33612345678', 'FR']])('refuses %s (%s) with 403 country_not_allowed', (number, country) => {
    expect(() => refuseCountry(['US'], number)).toThrow(expect.objectContaining({ status: 403, code: 'country_not_allowed', details: { country } }));
  });

  it('refuses everything, saying what to set, when no country is allowed', () => {
    expect(() => refuseCountry([], '+12025550123')).toThrow(/set ALLOWED_COUNTRIES/);
  });
});
