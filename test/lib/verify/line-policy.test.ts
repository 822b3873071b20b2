import { readSettings, type VerifySettings } from '../../../src/lib/config/settings';
import { refuseRiskyLine } from '../../../src/lib/verify/line-policy';
import { errorWith } from '../../support/match';

const verify = (overrides: Record<string, string> = {}): VerifySettings =>
  readSettings({ VERIFY_CHANNELS: 'sms,call,whatsapp', ...overrides }).verify;

describe('refuseRiskyLine', () => {
  it.each(['mobile', 'fixedVoip', 'nonFixedVoip', 'personal'])('sends SMS and WhatsApp codes to %s lines', (lineType) => {
    expect(() => refuseRiskyLine('sms', { lineType }, verify())).not.toThrow();
    expect(() => refuseRiskyLine('whatsapp', { lineType }, verify())).not.toThrow();
  });

  it('refuses SMS to a landline, suggesting a call when calls are offered', () => {
    expect(() => refuseRiskyLine('sms', { lineType: 'landline' }, verify())).toThrow(
      errorWith({ status: 400, code: 'line_type_not_allowed', details: { lineType: 'landline', suggestedChannel: 'call' } }),
    );
    expect(() => refuseRiskyLine('sms', { lineType: 'landline' }, verify({ VERIFY_CHANNELS: 'sms' }))).toThrow(
      errorWith({ details: { lineType: 'landline' } }),
    );
    expect(() => refuseRiskyLine('call', { lineType: 'landline' }, verify())).not.toThrow();
  });

  it.each(['tollFree', 'unknown', 'pager', 'voicemail'])('refuses SMS to %s lines', (lineType) => {
    expect(() => refuseRiskyLine('sms', { lineType }, verify())).toThrow(errorWith({ code: 'line_type_not_allowed' }));
  });

  it('treats a line Lookup could not type as unknown', () => {
    expect(() => refuseRiskyLine('sms', { lineType: null }, verify())).toThrow(errorWith({ details: { lineType: 'unknown' } }));
  });

  it.each(['premium', 'sharedCost'])('refuses %s lines on every channel, calls included', (lineType) => {
    expect(() => refuseRiskyLine('call', { lineType }, verify())).toThrow(errorWith({ status: 403, code: 'line_type_not_allowed' }));
  });

  it('refuses a pumping-risk score at or over PUMPING_RISK_MAX only when the check is on', () => {
    const on = verify({ LOOKUP_SMS_PUMPING_RISK: 'true', PUMPING_RISK_MAX: '80' });
    expect(() => refuseRiskyLine('sms', { lineType: 'mobile', pumpingRiskScore: 80 }, on)).toThrow(
      errorWith({ status: 403, code: 'pumping_risk' }),
    );
    expect(() => refuseRiskyLine('sms', { lineType: 'mobile', pumpingRiskScore: 79 }, on)).not.toThrow();
    expect(() => refuseRiskyLine('sms', { lineType: 'mobile', pumpingRiskScore: 95 }, verify())).not.toThrow();
  });
});
