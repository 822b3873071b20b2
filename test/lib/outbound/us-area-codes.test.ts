import { AREA_CODES, STATE_ZONE_DATA } from '../../../src/lib/outbound/us-area-codes.data';
import { STATE_ZONES, US_ZONES, stateOfUsNumber } from '../../../src/lib/outbound/us-area-codes';

// The 50 states and DC, by USPS code.
const STATES = (
  'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD ' +
  'TN TX UT VT VA WA WV WI WY'
).split(' ');

const isZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

describe('the US area code table', () => {
  const codes = Object.values(AREA_CODES).flatMap((list) => list.split(' '));

  it('lists every state and DC, each with area codes and zones, and nothing else', () => {
    expect(Object.keys(AREA_CODES).sort()).toEqual([...STATES].sort());
    expect(Object.keys(STATE_ZONE_DATA).sort()).toEqual([...STATES].sort());
    for (const state of STATES) {
      expect(AREA_CODES[state]?.length).toBeGreaterThan(0);
      expect(STATE_ZONE_DATA[state]?.length).toBeGreaterThan(0);
    }
  });

  it('has geographic three-digit codes (NXX, not N11 nor 9 in the middle), each once', () => {
    for (const code of codes) expect(code).toMatch(/^[2-9](?!11)[0-8]\d$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('names valid IANA zones, each state once', () => {
    for (const zones of Object.values(STATE_ZONE_DATA)) {
      for (const zone of zones) expect(isZone(zone)).toBe(true);
      expect(new Set(zones).size).toBe(zones.length);
    }
    expect(isZone('Not/A_Zone')).toBe(false);
  });

  it.each([
    ['+12015550100', 'NJ'],
    ['+12025550100', 'DC'],
    ['+14045550100', 'GA'],
    ['+14015550100', 'RI'],
    ['+12195550100', 'IN'],
    ['+19075550100', 'AK'],
    ['+19305550100', 'IN'], // an overlay of 812
  ])('places %s in %s', (number, state) => {
    expect(stateOfUsNumber(number)).toBe(state);
  });

  // Toll-free, personal communications, premium; Canada (Toronto, Vancouver); the territories (PR, GU, VI, AS, MP).
  it.each(['800', '833', '888', '500', '900', '416', '604', '787', '939', '671', '340', '684', '670'])(
    'gives no state to area code %s',
    (code) => {
      expect(stateOfUsNumber(`+1${code}5550100`)).toBeUndefined();
    },
  );

  it('gives the states spanning zones every zone', () => {
    expect(STATE_ZONES.IN).toEqual(expect.arrayContaining(['America/Chicago', 'America/New_York']));
    expect(STATE_ZONES.FL).toEqual(expect.arrayContaining(['America/Chicago', 'America/New_York']));
    expect(STATE_ZONES.TX).toEqual(expect.arrayContaining(['America/Chicago', 'America/Denver']));
    expect(STATE_ZONES.AZ).toEqual(expect.arrayContaining(['America/Phoenix', 'America/Denver']));
    expect(STATE_ZONES.GA).toEqual(['America/New_York']);
    expect(US_ZONES).toEqual(expect.arrayContaining(['America/New_York', 'America/Los_Angeles', 'America/Anchorage', 'Pacific/Honolulu']));
  });
});
