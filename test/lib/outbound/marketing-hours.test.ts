import { LEGAL_MARKETING_HOURS, marketingVerdict, readMarketingHours } from '../../../src/lib/outbound/marketing-hours';

const FLORIDA = '+13055550100'; // Miami
const CALIFORNIA = '+14155550100'; // San Francisco
const EL_PASO = '+19155550100'; // Texas, Mountain time
const INDIANAPOLIS = '+13175550100'; // Indiana, Eastern (its corners are Central)
const CONNECTICUT = '+12035550100';
const NEW_YORK = '+12125550100';
const LONDON = '+442071838750';
const JACKSON_MS = '+16015550100';
const PROVIDENCE = '+14015550100';
const ATLANTA = '+14045550100'; // Georgia: no state window of its own
const GARY = '+12195550100'; // Indiana's north-west: Central, though the state is mostly Eastern
const HONOLULU = '+18085550100';
const TOLL_FREE = '+18005550100'; // non-geographic: anywhere in the US
const UNASSIGNED = '+12925550100'; // N9X area codes are kept for expansion: no country for libphonenumber-js
const GUAM = '+16715550100'; // a US territory, its own country and zone (UTC+10)

// December: Eastern is UTC-5, Central UTC-6, Mountain UTC-7, Pacific UTC-8.
const verdict = (number: string, iso: string) => {
  const result = marketingVerdict(LEGAL_MARKETING_HOURS, number, new Date(iso));
  return result.open ? 'open' : (result.retryAt?.toISOString() ?? 'closed');
};

describe('the marketing window in the recipient local time', () => {
  it.each([
    // 20:30 Eastern, 17:30 Pacific: Florida closes at 8 PM (and in its Central panhandle opens at 8 AM Central).
    [FLORIDA, '2026-12-08T01:30:00Z', '2026-12-08T14:00:00.000Z'],
    [CALIFORNIA, '2026-12-08T01:30:00Z', 'open'],
    [NEW_YORK, '2026-12-08T01:30:00Z', 'open'], // federal 9 PM
    [NEW_YORK, '2026-12-08T02:00:00Z', '2026-12-08T13:00:00.000Z'], // 21:00 Eastern: closed until 8 AM
    [FLORIDA, '2026-12-07T14:00:00Z', 'open'],
    // Texas opens at 9 AM and spans Central and Mountain: 08:30 Central is 07:30 in El Paso, so
    // closed until 9 AM Mountain (10 AM Central).
    [EL_PASO, '2026-12-07T14:30:00Z', '2026-12-07T16:00:00.000Z'],
    [EL_PASO, '2026-12-08T02:30:00Z', 'open'], // 20:30 Central, 19:30 Mountain
    [EL_PASO, '2026-12-08T03:00:00Z', '2026-12-08T16:00:00.000Z'], // 21:00 Central
    // Indiana: 08:30 Eastern is 07:30 in its Central corners.
    [INDIANAPOLIS, '2026-12-07T13:30:00Z', '2026-12-07T14:00:00.000Z'],
    // Connecticut opens at 9 AM.
    [CONNECTICUT, '2026-12-07T13:30:00Z', '2026-12-07T14:00:00.000Z'],
    [NEW_YORK, '2026-12-07T13:30:00Z', 'open'],
    // Elsewhere: the default window in the country's zone.
    [LONDON, '2026-12-07T21:30:00Z', '2026-12-08T08:00:00.000Z'],
    [LONDON, '2026-12-07T20:30:00Z', 'open'],
  ])('%s at %s: %s', (number, at, expected) => {
    expect(verdict(number, at)).toBe(expected);
  });

  // 2026-12-12 is a Saturday, 2026-12-13 a Sunday (Central UTC-6, Mountain UTC-7, Eastern UTC-5).
  it.each([
    // Texas on Sunday: noon to 9 PM (Tex. Bus. & Com. Code 301.051(b)(2)); 10:00 Mountain is 11:00 Central.
    [EL_PASO, '2026-12-13T17:00:00Z', '2026-12-13T19:00:00.000Z'],
    [EL_PASO, '2026-12-13T19:00:00Z', 'open'],
    // Saturday 10:00 Mountain in El Paso: open, as on weekdays.
    [EL_PASO, '2026-12-12T17:00:00Z', 'open'],
    // Mississippi: 8 AM to 8 PM, none on Sunday (Miss. Code 77-3-723(1)): Saturday 20:00 Central waits for Monday.
    [JACKSON_MS, '2026-12-12T18:00:00Z', 'open'],
    [JACKSON_MS, '2026-12-13T02:00:00Z', '2026-12-14T14:00:00.000Z'],
    [JACKSON_MS, '2026-12-13T18:00:00Z', '2026-12-14T14:00:00.000Z'],
    // Rhode Island: weekdays 9 AM to 6 PM, Saturday 10 AM to 5 PM, none on Sunday (R.I. Gen. Laws 5-61-2, 5-61-3.6).
    [PROVIDENCE, '2026-12-11T22:30:00Z', 'open'], // Friday 17:30 Eastern
    [PROVIDENCE, '2026-12-11T23:00:00Z', '2026-12-12T15:00:00.000Z'], // Friday 18:00: Saturday opens at 10
    [PROVIDENCE, '2026-12-12T22:00:00Z', '2026-12-14T14:00:00.000Z'], // Saturday 17:00: Monday 9 AM
    [PROVIDENCE, '2026-12-14T22:30:00Z', 'open'], // Monday 17:30
  ])('%s at %s (day rules): %s', (number, at, expected) => {
    expect(verdict(number, at)).toBe(expected);
  });

  it.each([
    // Every state's area codes are known: Georgia on a Sunday afternoon (14:00 Eastern) gets the
    // federal window, not Rhode Island's or Mississippi's Sunday.
    [ATLANTA, '2026-12-13T19:00:00Z', 'open'],
    [PROVIDENCE, '2026-12-13T19:00:00Z', '2026-12-14T14:00:00.000Z'], // Rhode Island: Monday 9 AM
    // Indiana's codes span Eastern and Central: 08:30 Eastern waits for 08:00 Central; 20:30
    // Eastern is open (federal 9 PM), 21:30 Eastern waits for the next 08:00 Central.
    [GARY, '2026-12-07T13:30:00Z', '2026-12-07T14:00:00.000Z'],
    [GARY, '2026-12-08T01:30:00Z', 'open'],
    [GARY, '2026-12-08T02:30:00Z', '2026-12-08T14:00:00.000Z'],
    // Hawaii: its own zone, the federal window (07:00 there waits for 08:00).
    [HONOLULU, '2026-12-07T17:00:00Z', '2026-12-07T18:00:00.000Z'],
    // A non-geographic code: every US zone under the strictest window, so 09:00 in Honolulu
    // (Connecticut's and Rhode Island's 9 AM), and nothing on a Sunday.
    [TOLL_FREE, '2026-12-07T17:00:00Z', '2026-12-07T19:00:00.000Z'],
    [TOLL_FREE, '2026-12-13T19:00:00Z', '2026-12-14T19:00:00.000Z'],
    // A +1 number of no known country: the same, not UTC.
    [UNASSIGNED, '2026-12-13T19:00:00Z', '2026-12-14T19:00:00.000Z'],
    // Guam: 08:00 there is 22:00 UTC the day before.
    [GUAM, '2026-12-07T21:00:00Z', '2026-12-07T22:00:00.000Z'],
    [GUAM, '2026-12-07T22:00:00Z', 'open'],
  ])('%s at %s (by area code): %s', (number, at, expected) => {
    expect(verdict(number, at)).toBe(expected);
  });

  it('finds the opening across a change of the clocks (Sunday 8 March 2026, US)', () => {
    // 21:30 Eastern Saturday (EST); Sunday 08:00 is EDT (UTC-4).
    expect(verdict(NEW_YORK, '2026-03-08T02:30:00Z')).toBe('2026-03-08T12:00:00.000Z');
  });
});

describe('MARKETING_HOURS', () => {
  it("keeps the law's windows when empty", () => {
    expect(readMarketingHours('')).toEqual(LEGAL_MARKETING_HOURS);
    expect(readMarketingHours(undefined)).toEqual(LEGAL_MARKETING_HOURS);
  });

  it('narrows the law for the places it names, day rules kept; never widens it, * included', () => {
    const verdict = (hours: string, number: string, at: string) => marketingVerdict(readMarketingHours(hours), number, new Date(at)).open;
    // Florida 09:00-19:00 in both its zones: 09:30 Eastern is 08:30 Central, closed (the law alone opens at 08:00).
    expect(verdict('', FLORIDA, '2026-12-08T14:30:00Z')).toBe(true);
    expect(verdict('FL=09:00-19:00', FLORIDA, '2026-12-08T14:30:00Z')).toBe(false);
    expect(verdict('FL=09:00-19:00', FLORIDA, '2026-12-08T15:30:00Z')).toBe(true);
    // * cannot open what the law closes: 23:00 in Florida stays closed.
    expect(verdict('*=00:00-24:00', FLORIDA, '2026-12-08T04:00:00Z')).toBe(false);
    // *=09:00-20:00 keeps Rhode Island's Sunday closed and its weekday end at 18:00.
    expect(verdict('*=09:00-20:00', PROVIDENCE, '2026-12-13T19:00:00Z')).toBe(false);
    expect(verdict('*=09:00-20:00', PROVIDENCE, '2026-12-14T23:30:00Z')).toBe(false);
    expect(verdict('*=09:00-20:00', PROVIDENCE, '2026-12-14T15:00:00Z')).toBe(true);
    // default narrows places without their own window (London in December is on UTC).
    expect(verdict('default=10:00-18:00', LONDON, '2026-12-08T09:30:00Z')).toBe(false);
    expect(verdict('default=10:00-18:00', LONDON, '2026-12-08T10:30:00Z')).toBe(true);
    // replace: takes the owner's windows instead of the law's (their counsel's reading, their risk).
    expect(verdict('replace:*=00:00-24:00', FLORIDA, '2026-12-08T04:00:00Z')).toBe(true);
    expect(verdict('replace:*=09:00-20:00', PROVIDENCE, '2026-12-13T19:00:00Z')).toBe(true);
    // A later entry wins over * for its place, still within the law.
    expect(verdict('CT=10:00-11:00,*=09:00-20:00', CONNECTICUT, '2026-12-08T15:30:00Z')).toBe(true);
    expect(verdict('CT=10:00-11:00,*=09:00-20:00', CONNECTICUT, '2026-12-08T16:30:00Z')).toBe(false);
  });

  it.each(['FL=20:00-08:00', 'FL=09:00-09:00', 'default=8-21', 'Florida=08:00-20:00', 'FL'])('refuses %s', (value) => {
    expect(() => readMarketingHours(value)).toThrow();
  });
});
