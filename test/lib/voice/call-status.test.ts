import { callAdvances, isCallStatus } from '../../../src/lib/voice/call-status';

describe('call status order', () => {
  it('moves forward and never back: a late ringing never overwrites completed', () => {
    expect(callAdvances(undefined, 'queued')).toBe(true);
    expect(callAdvances('initiated', 'ringing')).toBe(true);
    expect(callAdvances('ringing', 'in-progress')).toBe(true);
    expect(callAdvances('in-progress', 'completed')).toBe(true);
    expect(callAdvances('ringing', 'no-answer')).toBe(true);
    expect(callAdvances('completed', 'ringing')).toBe(false);
    expect(callAdvances('completed', 'completed')).toBe(false);
    expect(callAdvances('busy', 'completed')).toBe(false);
  });

  it('knows Twilio call status names only', () => {
    expect(isCallStatus('no-answer')).toBe(true);
    expect(isCallStatus('answered')).toBe(false);
  });
});
