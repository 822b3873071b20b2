import {
  DELIVERY_ERRORS,
  TRANSIENT_DELIVERY_ERRORS,
  explainDeliveryError,
  isTransientDeliveryError,
} from '../../../src/lib/messaging/delivery-errors';
import { TRANSIENT_DELIVERY_ERRORS as FROM_STATUS } from '../../../src/lib/sms/status';
import { match } from '../../support/match';

const sorted = (codes: Iterable<number | string>): number[] => [...codes].map(Number).sort((a, b) => a - b);

const LISTED = [
  30001, 30002, 30003, 30004, 30005, 30006, 30007, 30008, 30009, 30010, 30032, 30034, 30036, 30450, 30500, 21211, 21408, 21610, 21612,
  21614, 63003, 63016, 63018, 63021, 63024, 63032, 63038, 63049,
];
/** Worth a later automatic re-send; every other listed code is not (see the comments in the table). */
const TRANSIENT = [30003, 30008, 30500, 63018];

describe('delivery error table', () => {
  it('covers every listed code with a meaning and an action', () => {
    expect(sorted(Object.keys(DELIVERY_ERRORS))).toEqual(sorted(LISTED));
    for (const code of LISTED) {
      const explained = explainDeliveryError(code);
      expect(explained).toEqual({ code, meaning: match.any(String), action: match.any(String) });
      expect(explained!.meaning.length).toBeGreaterThan(10);
      expect(explained!.action.length).toBeGreaterThan(10);
      expect(explained!.meaning).not.toContain('twilio.com/docs');
    }
  });

  it('marks exactly the transient codes as worth a re-send', () => {
    expect(sorted(TRANSIENT_DELIVERY_ERRORS)).toEqual(sorted(TRANSIENT));
    for (const code of LISTED) expect(isTransientDeliveryError(code)).toBe(TRANSIENT.includes(code));
    expect(isTransientDeliveryError(undefined)).toBe(false);
    expect(isTransientDeliveryError(12345)).toBe(false);
  });

  it('is the one source the re-sends read (sms/status re-exports the same set)', () => {
    expect(FROM_STATUS).toBe(TRANSIENT_DELIVERY_ERRORS);
  });

  it('answers null without an error code', () => {
    expect(explainDeliveryError(undefined)).toBeNull();
    expect(explainDeliveryError(0)).toBeNull();
    expect(explainDeliveryError(Number.NaN)).toBeNull();
  });

  it("points unknown codes (30044 among them: no Twilio page found) at Twilio's page", () => {
    for (const code of [30044, 12345]) {
      const explained = explainDeliveryError(code);
      expect(explained).toEqual({
        code,
        meaning: match.stringContaining(`https://www.twilio.com/docs/api/errors/${code}`),
        action: match.any(String),
      });
    }
  });
});
