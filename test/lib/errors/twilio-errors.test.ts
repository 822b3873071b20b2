import { AppError } from '../../../src/lib/errors/app-error';
import { fromTwilioError, isRetryableTwilioError, isTransientTwilioError, isTwilioRestError } from '../../../src/lib/errors/twilio-errors';

const twilioError = (code: number, status = 400) => ({
  status,
  code,
  message: `Twilio says ${code}`,
  moreInfo: `https://www.twilio.com/docs/errors/${code}`,
});

describe('fromTwilioError', () => {
  it.each([
    [21211, 400, 'invalid_number'],
    [21614, 400, 'not_mobile'],
    [21408, 400, 'region_not_enabled'],
    [21610, 409, 'opted_out'],
    [21612, 400, 'unroutable'],
    [20429, 503, 'twilio_busy'],
    [54009, 503, 'sync_rate_limited'],
    [20003, 502, 'twilio_auth_failed'],
  ])('maps Twilio %i to %i %s and keeps the Twilio code', (code, status, appCode) => {
    const error = fromTwilioError(twilioError(code));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status, code: appCode, twilioCode: code });
  });

  it("passes other client errors through with Twilio's code and message", () => {
    const error = fromTwilioError(twilioError(21617));
    expect(error.toBody()).toEqual({
      error: { code: 'twilio_error', message: 'Twilio refused the request: Twilio says 21617', twilioCode: 21617 },
    });
    expect(error.status).toBe(400);
  });

  it('answers 502 for a Twilio server error, never echoing a 5xx as ours', () => {
    expect(fromTwilioError(twilioError(20500, 500)).status).toBe(502);
  });
});

describe('isTwilioRestError / isRetryableTwilioError', () => {
  it('recognises RestException-shaped errors only', () => {
    expect(isTwilioRestError(twilioError(20429, 429))).toBe(true);
    expect(isTwilioRestError(new Error('boom'))).toBe(false);
    expect(isTwilioRestError(null)).toBe(false);
  });

  const network = (code: string) => Object.assign(new Error(code), { code });

  it('calls "surely not carried out" only 429s, 20429, 54009 and a refused connection', () => {
    expect(isRetryableTwilioError(twilioError(20429, 429))).toBe(true);
    expect(isRetryableTwilioError(twilioError(54009, 429))).toBe(true);
    expect(isRetryableTwilioError(network('ECONNREFUSED'))).toBe(true);
    expect(isRetryableTwilioError(twilioError(21211, 400))).toBe(false);
    expect(isRetryableTwilioError(twilioError(20500, 500))).toBe(false);
    expect(isRetryableTwilioError(network('ECONNRESET'))).toBe(false);
    expect(isRetryableTwilioError(new Error('socket hang up'))).toBe(false);
  });

  it('calls transient also 5xx answers, 20500-class codes and lost connections, never a client error', () => {
    for (const error of [
      twilioError(20500, 500),
      twilioError(20503, 503),
      twilioError(20504, 400),
      network('ECONNRESET'),
      network('ETIMEDOUT'),
      network('ECONNABORTED'),
    ]) {
      expect(isTransientTwilioError(error)).toBe(true);
    }
    for (const error of [
      twilioError(21211, 400),
      twilioError(20404, 404),
      twilioError(54205, 412),
      network('ERR_BAD_REQUEST'),
      new Error('boom'),
      null,
    ]) {
      expect(isTransientTwilioError(error)).toBe(false);
    }
  });
});
