import { ACCOUNT_SID, AUTH_TOKEN, restError, sandboxWithReceiver } from './helpers';

const fixture = sandboxWithReceiver();

function lookup(number: string, fields?: string) {
  return fixture.env.client.lookups.v2.phoneNumbers(number).fetch(fields === undefined ? {} : { fields });
}

describe('Lookup v2 PhoneNumbers (lookups.twilio.com/v2)', () => {
  it('validates and formats a number; packages not requested are null', async () => {
    const answer = await lookup('+14155550142');
    expect(answer).toMatchObject({
      phoneNumber: '+14155550142',
      nationalFormat: '(415) 555-0142',
      countryCode: 'US',
      callingCountryCode: '1',
      valid: true,
      // As the spec's `fetch` example: null for a valid number (an invalid one lists its errors).
      validationErrors: null,
      lineTypeIntelligence: null,
      smsPumpingRisk: null,
      callerName: null,
      url: 'https://lookups.twilio.com/v2/PhoneNumbers/+14155550142',
    });
  });

  it('accepts national format (default US, or CountryCode)', async () => {
    expect((await lookup('(202) 555-0123')).phoneNumber).toBe('+12025550123');
    const uk = await fixture.env.client.lookups.v2.phoneNumbers('07400123456').fetch({ countryCode: 'GB' });
    expect([uk.phoneNumber, uk.countryCode, uk.callingCountryCode, uk.nationalFormat]).toEqual([
      '+447400123456',
      'GB',
      '44',
      '07400 123456',
    ]);
  });

  it.each([
    ['+141599299600', 'TOO_LONG'],
    ['+1415992', 'TOO_SHORT'],
    ['+10005550123', 'INVALID_BUT_POSSIBLE'],
    ['+999123456789', 'INVALID_COUNTRY_CODE'],
    ['not-a-number', 'NOT_A_NUMBER'],
  ])('answers 200 with valid false for %s (%s) and no package data', async (number, error) => {
    const answer = await lookup(number, 'line_type_intelligence,sms_pumping_risk');
    expect(answer.valid).toBe(false);
    expect(answer.validationErrors).toEqual([error]);
    expect([answer.countryCode, answer.nationalFormat, answer.lineTypeIntelligence, answer.smsPumpingRisk]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });

  it.each([
    ['+14155550142', 'mobile', 'Sandbox Mobile'],
    ['+447400123456', 'mobile', 'Sandbox Mobile'],
    ['+12025550150', 'landline', 'Sandbox Landline'],
    ['+15005550009', 'landline', 'Sandbox Landline'],
    ['+442071234567', 'landline', 'Sandbox Landline'],
    ['+12025550160', 'fixedVoip', 'Sandbox Fixed VoIP'],
    ['+445612345678', 'fixedVoip', 'Sandbox Fixed VoIP'],
    ['+12025550175', 'nonFixedVoip', 'Sandbox Virtual VoIP'],
    ['+18005550100', 'tollFree', null],
    ['+448001234567', 'tollFree', null],
    ['+19005550100', 'premium', null],
    ['+449091234567', 'premium', null],
    ['+448451234567', 'sharedCost', null],
    ['+443001234567', 'uan', null],
    ['+447012345678', 'personal', null],
    ['+447612345678', 'pager', null],
    ['+12025550199', 'unknown', null],
  ])('Line Type Intelligence: %s is %s', async (number, type, carrier) => {
    const { lineTypeIntelligence: lti } = await lookup(number, 'line_type_intelligence');
    expect({ ...lti }).toEqual({
      type,
      carrierName: carrier,
      mobileCountryCode: carrier ? '001' : null,
      mobileNetworkCode: carrier ? '01' : null,
      errorCode: null,
    });
  });

  it.each([
    ['+15005550031', 'high', 100, true],
    ['+449091234567', 'high', 95, false],
    ['+19005550100', 'high', 95, false],
    ['+448451234567', 'moderate', 61, false],
  ])('SMS Pumping Risk: %s is %s (%i), blocked %s', async (number, category, score, blocked) => {
    const { smsPumpingRisk: risk } = await lookup(number, 'sms_pumping_risk');
    expect({ ...risk }).toEqual({
      carrierRiskCategory: category,
      smsPumpingRiskScore: score,
      numberBlocked: blocked,
      numberBlockedDate: blocked ? '2026-01-01T00:00:00Z' : null,
      numberBlockedLast3Months: blocked,
      errorCode: null,
    });
  });

  it('scores every other number low (≤ 10), deterministically', async () => {
    for (const number of ['+14155550142', '+12025550123', '+447400123456', '+33612345678']) {
      const first = await lookup(number, 'sms_pumping_risk,line_type_intelligence');
      const second = await lookup(number, 'sms_pumping_risk');
      expect(first.smsPumpingRisk.carrierRiskCategory).toBe('low');
      expect(first.smsPumpingRisk.smsPumpingRiskScore).toBeLessThanOrEqual(10);
      expect(second.smsPumpingRisk).toEqual(first.smsPumpingRisk);
      expect(first.lineTypeIntelligence.type).toBe('mobile');
    }
  });

  it('rejects an unknown Fields value with 400 / 60200; known but unemulated packages are null', async () => {
    const error = await restError(lookup('+14155550142', 'line_type_inteligence'));
    expect([error.status, error.code]).toEqual([400, 60200]);
    const answer = await lookup('+14155550142', 'caller_name,validation');
    expect(answer.callerName).toBeNull();
  });

  it('needs authentication like every API host', async () => {
    const res = await fetch(`${fixture.env.sandbox.url}/lookups/v2/PhoneNumbers/+14155550142`, {
      headers: { Authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:wrong-${AUTH_TOKEN}`).toString('base64')}` },
    });
    expect(res.status).toBe(401);
  });
});
