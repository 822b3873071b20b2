import { badRequest } from '../http/errors';
import { json, Router, type TwilioHost } from '../http/router';
import type { UsageCounters } from '../usage';
import { lineTypeInfo, lineTypeOf } from './line-types';
import { parsePhoneNumber, type ParsedNumber } from './phone-numbers';
import { pumpingRiskOf } from './pumping-risk';

export interface LookupHostDeps {
  usage: UsageCounters;
}

const LOOKUPS_BASE_URL = 'https://lookups.twilio.com/v2';

/** The data packages of the `Fields` parameter (twilio_lookups_v2.json). */
const KNOWN_FIELDS: ReadonlySet<string> = new Set([
  'validation',
  'caller_name',
  'sim_swap',
  'call_forwarding',
  'line_status',
  'line_type_intelligence',
  'identity_match',
  'reassigned_number',
  'sms_pumping_risk',
  'phone_number_quality_score',
  'pre_fill',
]);

/** Packages the sandbox computes; the other known packages answer `null`. */
const EMULATED_FIELDS: readonly string[] = ['line_type_intelligence', 'sms_pumping_risk'];

function readFields(raw: string | null): Set<string> {
  const fields = new Set(
    (raw ?? '')
      .split(',')
      .map((f) => f.trim())
      .filter((f) => f !== ''),
  );
  for (const field of fields) {
    if (!KNOWN_FIELDS.has(field)) throw badRequest(60200, 'Invalid parameter: Fields');
  }
  return fields;
}

/** The LookupResponse of the spec; packages not requested (or not emulated) are `null`. */
function lookupResource(parsed: ParsedNumber, fields: ReadonlySet<string>): Record<string, unknown> {
  const lineType = parsed.valid && fields.has('line_type_intelligence') ? lineTypeInfo(parsed.phoneNumber) : null;
  const risk = parsed.valid && fields.has('sms_pumping_risk') ? pumpingRiskOf(parsed.phoneNumber, lineTypeOf(parsed.phoneNumber)) : null;
  return {
    calling_country_code: parsed.callingCountryCode,
    country_code: parsed.countryCode,
    phone_number: parsed.phoneNumber,
    national_format: parsed.nationalFormat,
    valid: parsed.valid,
    // The spec's `fetch` example (a valid number) answers null; `fetchInvalid` lists the errors.
    validation_errors: parsed.validationErrors.length > 0 ? parsed.validationErrors : null,
    caller_name: null,
    sim_swap: null,
    call_forwarding: null,
    line_status: null,
    line_type_intelligence: lineType && {
      error_code: null,
      mobile_country_code: lineType.mobileCountryCode,
      mobile_network_code: lineType.mobileNetworkCode,
      carrier_name: lineType.carrierName,
      type: lineType.type,
    },
    identity_match: null,
    reassigned_number: null,
    sms_pumping_risk: risk && {
      carrier_risk_category: risk.carrierRiskCategory,
      number_blocked: risk.numberBlocked,
      number_blocked_date: risk.numberBlockedDate,
      number_blocked_last_3_months: risk.numberBlockedLast3Months,
      sms_pumping_risk_score: risk.score,
      error_code: null,
    },
    phone_number_quality_score: null,
    pre_fill: null,
    url: `${LOOKUPS_BASE_URL}/PhoneNumbers/${parsed.phoneNumber}`,
  };
}

/** lookups.twilio.com: Lookup v2 PhoneNumbers (basic validation, Line Type Intelligence, SMS Pumping Risk). */
export function lookupHost(deps: LookupHostDeps): TwilioHost {
  const router = new Router().get('/v2/PhoneNumbers/:PhoneNumber', (req) => {
    const fields = readFields(req.query.get('Fields'));
    const parsed = parsePhoneNumber(req.params.PhoneNumber, req.query.get('CountryCode'));
    deps.usage.count('lookups');
    for (const field of EMULATED_FIELDS) if (fields.has(field)) deps.usage.countPackage(field);
    return json(200, lookupResource(parsed, fields));
  });
  return { subdomain: 'lookups', router };
}
