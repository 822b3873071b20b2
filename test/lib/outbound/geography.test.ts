import { readAllowedCountries, refuseDestination } from '../../../src/lib/outbound/geography';
import { errorWith } from '../../support/match';

describe('readAllowedCountries (ALLOWED_COUNTRIES)', () => {
  it('defaults to the country of TWILIO_PHONE_NUMBER only', () => {
    expect(readAllowedCountries(undefined, '+15005550006')).toEqual(['US']);
    expect(readAllowedCountries('  ', '+447400123456')).toEqual(['GB']);
  });

  it('allows nothing when there is neither a list nor a number to take the country from', () => {
    expect(readAllowedCountries('', undefined)).toEqual([]);
  });

  it('takes "*" written out as any country', () => expect(readAllowedCountries(' * ', '+15005550006')).toBe('any'));

  it('reads a comma-separated ISO list in any case', () =>
    expect(readAllowedCountries(' us, ca ,,GB', undefined)).toEqual(['US', 'CA', 'GB']));

  it('names what is wrong with a list instead of silently dropping it', () => {
    expect(() => readAllowedCountries('US, usa, *, UK', undefined)).toThrow(
      errorWith({
        code: 'not_configured',
        message: 'ALLOWED_COUNTRIES must be "*" or ISO 3166 country codes such as US,GB (not USA, *, UK)',
      }),
    );
  });
});

describe('refuseDestination', () => {
  it('passes numbers of allowed countries and anything with "*"', () => {
    expect(() => refuseDestination(['US', 'CA'], '+12025550123')).not.toThrow();
    expect(() => refuseDestination('any', '+447400123456')).not.toThrow();
  });

  it.each([
    ['+447400123456', 'GB'],
    ['+919876543210', 'IN'],
    ['+5511987654321', 'BR'],
    ['+33612345678', 'FR'],
  ])('refuses %s (%s) with 403 country_not_allowed', (number, country) => {
    expect(() => refuseDestination(['US'], number)).toThrow(errorWith({ status: 403, code: 'country_not_allowed', details: { country } }));
  });

  it.each([
    ['+19005550123', 'premium_rate'],
    ['+33810123456', 'shared_cost'],
  ])('refuses the premium number %s in an allowed country, and with "*"', (number, numberType) => {
    for (const allowed of [['US', 'FR'], 'any'] as const) {
      expect(() => refuseDestination(allowed, number)).toThrow(
        errorWith({ status: 403, code: 'number_type_not_allowed', details: { numberType } }),
      );
    }
  });

  it('refuses NANP numbers of other countries under the US default', () => {
    expect(() => refuseDestination(['US'], '+18765550123')).toThrow(errorWith({ code: 'country_not_allowed', details: { country: 'JM' } }));
  });

  it('refuses everything, saying what to set, when no country is allowed', () => {
    expect(() => refuseDestination([], '+12025550123')).toThrow(/set ALLOWED_COUNTRIES/);
  });
});
