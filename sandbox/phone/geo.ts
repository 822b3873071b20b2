/**
 * The geographic fields Twilio adds to inbound webhooks (FromCountry, FromState, …). The
 * sandbox knows countries by calling code only; state, city and zip are left empty.
 */
const COUNTRY_BY_PREFIX: ReadonlyArray<[string, string]> = [
  ['+1', 'US'],
  ['+44', 'GB'],
  ['+33', 'FR'],
  ['+49', 'DE'],
  ['+34', 'ES'],
  ['+39', 'IT'],
  ['+31', 'NL'],
  ['+61', 'AU'],
  ['+91', 'IN'],
  ['+55', 'BR'],
  ['+52', 'MX'],
  ['+81', 'JP'],
];

export interface Geo {
  Country: string;
  State: string;
  City: string;
  Zip: string;
}

export function geoOf(address: string): Geo {
  const number = address.replace(/^[a-z]+:/, '');
  const match = COUNTRY_BY_PREFIX.find(([prefix]) => number.startsWith(prefix));
  return { Country: match ? match[1] : '', State: '', City: '', Zip: '' };
}

/** `{ FromCountry, FromState, … }` for `side` = From or To. */
export function geoParams(side: 'From' | 'To', address: string): Record<string, string> {
  const geo = geoOf(address);
  return { [`${side}City`]: geo.City, [`${side}Country`]: geo.Country, [`${side}State`]: geo.State, [`${side}Zip`]: geo.Zip };
}
