import { STATES, usAreaCodesModule } from '../../scripts/us-area-codes';

// A small libphonenumber: each state one code (600, 601, ... in the order of STATES), in the form
// of resources/geocoding/en/1.txt and resources/timezones/map_data.txt.
const names = Object.keys(STATES);
const codeOf = (name: string) => String(600 + names.indexOf(name));
const INDIANA_OVERLAY = '699';

const geocoding = [
  '# comment',
  ...names.filter((name) => name !== 'Connecticut').map((name) => `1${codeOf(name)}|${name}`),
  // Connecticut named only below the area code, as libphonenumber does for 203.
  `1${codeOf('Connecticut')}20|Connecticut`,
  `1${codeOf('Connecticut')}202|Darien, CT`,
  `1${codeOf('New Jersey')}631|New York, NY`, // an exchange across the state line
  `1${INDIANA_OVERLAY}|Indiana`,
  '1204|Manitoba',
  '1204239|Portage la Prairie, MB',
  '1340774|St. Thomas, VI',
].join('\n');

const mapData = [
  '1|America/Adak&America/New_York&Pacific/Guam',
  ...names.map((name) => `1${codeOf(name)}|America/New_York`),
  `1${codeOf('Indiana')}226|America/Chicago`,
  `1${INDIANA_OVERLAY}|America/New_York`,
  `1${codeOf('Idaho')}|America/Boise&America/Los_Angeles`,
  '1204|America/Winnipeg',
  '1340|America/St_Thomas',
  '44|Europe/London',
].join('\n');

describe('scripts/us-area-codes.ts', () => {
  it('places each code in its state, gives a state every zone of its codes, and leaves out Canada and the territories', () => {
    const { text, codes, notes } = usAreaCodesModule(geocoding, mapData);
    expect(codes).toBe(52);
    expect(text).toContain(`  IN: '${codeOf('Indiana')} ${INDIANA_OVERLAY}',`);
    expect(text).toContain(`  CT: '${codeOf('Connecticut')}',`);
    expect(text).toContain(`  DC: '${codeOf('Washington D.C.')}',`);
    expect(text).toContain(`  WA: '${codeOf('Washington State')}',`);
    expect(text).toContain("  IN: ['America/Chicago', 'America/New_York'],");
    expect(text).toContain("  ID: ['America/Boise', 'America/Los_Angeles', 'America/New_York'],");
    expect(text).toContain("  GA: ['America/New_York'],");
    expect(text).not.toMatch(/204|340|MB|VI|Winnipeg|St_Thomas|Guam|London/);
    expect(notes).toEqual([`${codeOf('New Jersey')} (NJ) has exchanges placed in NY`]);
  });

  it('refuses a code whose exchanges are in several states, and a state without a code', () => {
    expect(() => usAreaCodesModule(`${geocoding}\n1698201|Miami, FL\n1698202|Atlanta, GA`, mapData)).toThrow(/698/);
    const withoutOhio = geocoding.replace(`1${codeOf('Ohio')}|Ohio\n`, '');
    expect(() => usAreaCodesModule(withoutOhio, mapData)).toThrow(/no area code or no zone for OH/);
  });
});
