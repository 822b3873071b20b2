import { resourceNotFound } from '../http/errors';
import { listEnvelopeV1, pickFilters, readPageRequest, slicePage } from '../http/paging';
import { json, Router, type TwilioHost } from '../http/router';

/**
 * Voice Dialing Permissions (voice.twilio.com/v1/DialingPermissions/Countries, twilio_voice_v1.json):
 * per country, whether calls may go to its low-risk numbers, its high-risk special-service numbers
 * and its high-risk toll-fraud ranges. Calls that geo permissions block fail with 21215, 32205 or
 * 13227 (https://support.twilio.com/hc/en-us/articles/223180228). Read-only here; the control plane
 * (`POST /_sandbox/voice/dialing-permissions`) changes them.
 */

const VOICE_BASE_URL = 'https://voice.twilio.com/v1';

interface CountryInfo {
  iso: string;
  name: string;
  continent: string;
  countryCodes: string[];
}

/** The countries the sandbox knows (its calling-code table); Twilio lists every country it reaches. */
const COUNTRIES: readonly CountryInfo[] = [
  { iso: 'US', name: 'United States/Canada', continent: 'NORTH_AMERICA', countryCodes: ['+1'] },
  { iso: 'MX', name: 'Mexico', continent: 'NORTH_AMERICA', countryCodes: ['+52'] },
  { iso: 'BR', name: 'Brazil', continent: 'SOUTH_AMERICA', countryCodes: ['+55'] },
  { iso: 'GB', name: 'United Kingdom', continent: 'EUROPE', countryCodes: ['+44'] },
  { iso: 'FR', name: 'France', continent: 'EUROPE', countryCodes: ['+33'] },
  { iso: 'DE', name: 'Germany', continent: 'EUROPE', countryCodes: ['+49'] },
  { iso: 'ES', name: 'Spain', continent: 'EUROPE', countryCodes: ['+34'] },
  { iso: 'IT', name: 'Italy', continent: 'EUROPE', countryCodes: ['+39'] },
  { iso: 'NL', name: 'Netherlands', continent: 'EUROPE', countryCodes: ['+31'] },
  { iso: 'IN', name: 'India', continent: 'ASIA', countryCodes: ['+91'] },
  { iso: 'JP', name: 'Japan', continent: 'ASIA', countryCodes: ['+81'] },
  { iso: 'AU', name: 'Australia', continent: 'OCEANIA', countryCodes: ['+61'] },
];

export interface CountryPermissions {
  lowRiskNumbersEnabled: boolean;
  highRiskSpecialNumbersEnabled: boolean;
  highRiskTollfraudNumbersEnabled: boolean;
}

export const PERMISSION_FIELDS: ReadonlyArray<keyof CountryPermissions> = [
  'lowRiskNumbersEnabled',
  'highRiskSpecialNumbersEnabled',
  'highRiskTollfraudNumbersEnabled',
];

const NONE: CountryPermissions = {
  lowRiskNumbersEnabled: false,
  highRiskSpecialNumbersEnabled: false,
  highRiskTollfraudNumbersEnabled: false,
};

/** The ISO code of the sandbox's country entry for an E.164 number (`+1…` → US), if known. */
export function dialingCountryOf(e164: string): string | undefined {
  return [...COUNTRIES]
    .sort((a, b) => b.countryCodes[0].length - a.countryCodes[0].length)
    .find((country) => country.countryCodes.some((code) => e164.startsWith(code)))?.iso;
}

/** The account's voice dialing permissions by country: low-risk numbers of `enabled` on, everything else off. */
export class DialingPermissions {
  private readonly byIso = new Map<string, CountryPermissions>();

  constructor(enabled: readonly string[]) {
    for (const country of COUNTRIES) this.byIso.set(country.iso, { ...NONE, lowRiskNumbersEnabled: enabled.includes(country.iso) });
  }

  knows(iso: string): boolean {
    return this.byIso.has(iso);
  }

  get(iso: string): CountryPermissions | undefined {
    const permissions = this.byIso.get(iso);
    return permissions && { ...permissions };
  }

  /** Changes some of a known country's permissions and answers them all. */
  set(iso: string, change: Partial<CountryPermissions>): CountryPermissions {
    const current = this.byIso.get(iso);
    if (!current) throw new Error(`unknown country ${iso}`);
    const next = { ...current, ...change };
    this.byIso.set(iso, next);
    return { ...next };
  }

  /** Every country with its permissions, in the table's order. */
  all(): Array<CountryInfo & CountryPermissions> {
    return COUNTRIES.map((country) => ({ ...country, ...(this.byIso.get(country.iso) ?? NONE) }));
  }
}

/** The Country resource as the spec's `dialing_permissions_country` schema lists it. */
function countryResource(country: CountryInfo & CountryPermissions): Record<string, unknown> {
  const url = `${VOICE_BASE_URL}/DialingPermissions/Countries/${country.iso}`;
  return {
    iso_code: country.iso,
    name: country.name,
    continent: country.continent,
    country_codes: [...country.countryCodes],
    low_risk_numbers_enabled: country.lowRiskNumbersEnabled,
    high_risk_special_numbers_enabled: country.highRiskSpecialNumbersEnabled,
    high_risk_tollfraud_numbers_enabled: country.highRiskTollfraudNumbersEnabled,
    url,
    links: { highrisk_special_prefixes: `${url}/HighRiskSpecialPrefixes` },
  };
}

/** `true`/`false` list filters; anything else does not filter. */
function booleanFilter(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name)?.toLowerCase();
  return raw === 'true' ? true : raw === 'false' ? false : undefined;
}

/** The list's boolean filters and the permission each one filters on. */
const FLAG_FILTERS: ReadonlyArray<[string, keyof CountryPermissions]> = [
  ['LowRiskNumbersEnabled', 'lowRiskNumbersEnabled'],
  ['HighRiskSpecialNumbersEnabled', 'highRiskSpecialNumbersEnabled'],
  ['HighRiskTollfraudNumbersEnabled', 'highRiskTollfraudNumbersEnabled'],
];
const LIST_FILTERS = ['IsoCode', 'Continent', 'CountryCode', ...FLAG_FILTERS.map(([name]) => name)];

/** voice.twilio.com: the Dialing Permissions Countries list (with the spec's filters) and fetch. */
export function voiceHost(permissions: DialingPermissions): TwilioHost {
  const router = new Router()
    .get('/v1/DialingPermissions/Countries', (req) => {
      const page = readPageRequest(req.query, 1000);
      const { query } = req;
      const flags = FLAG_FILTERS.map(([name, field]) => [field, booleanFilter(query, name)] as const);
      const matching = permissions
        .all()
        .filter(
          (country) =>
            (!query.get('IsoCode') || country.iso === query.get('IsoCode')?.toUpperCase()) &&
            (!query.get('Continent') || country.continent === query.get('Continent')?.toUpperCase()) &&
            (!query.get('CountryCode') || country.countryCodes.includes(`+${(query.get('CountryCode') ?? '').replace(/^\+/, '')}`)) &&
            flags.every(([field, wanted]) => wanted === undefined || country[field] === wanted),
        );
      const order = new Map(matching.map((country, i) => [country.iso, i]));
      const slice = slicePage(
        matching,
        page,
        (country) => country.iso,
        (country, cursor) => (order.get(country.iso) ?? 0) - (order.get(cursor) ?? -1),
      );
      const url = `${VOICE_BASE_URL}/DialingPermissions/Countries`;
      return json(200, listEnvelopeV1('content', url, pickFilters(query, LIST_FILTERS), page, slice, slice.items.map(countryResource)));
    })
    .get('/v1/DialingPermissions/Countries/:IsoCode', (req) => {
      const iso = req.params.IsoCode.toUpperCase();
      const country = permissions.all().find((c) => c.iso === iso);
      if (!country) throw resourceNotFound(req.path);
      return json(200, countryResource(country));
    });
  return { subdomain: 'voice', router };
}
