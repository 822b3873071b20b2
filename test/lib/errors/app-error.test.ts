import { AppError } from '../../../src/lib/errors/app-error';

describe('AppError', () => {
  it('serialises to { error: { code, message } } with only the extras that are set', () => {
    expect(new AppError(404, 'not_found', 'No such message').toBody()).toEqual({
      error: { code: 'not_found', message: 'No such message' },
    });
    expect(new AppError(429, 'rate_limited', 'Slow down', { retryAfterSeconds: 30, details: { limit: 3 } }).toBody()).toEqual({
      error: { code: 'rate_limited', message: 'Slow down', retryAfter: 30, limit: 3 },
    });
  });
});
