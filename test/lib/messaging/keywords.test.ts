import { classifyKeyword } from '../../../src/lib/messaging/keywords';

describe('classifyKeyword', () => {
  it.each(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'])('%s opts out', (word) => {
    expect(classifyKeyword(word)).toBe('opt-out');
    expect(classifyKeyword(word.toLowerCase())).toBe('opt-out');
  });

  it.each(['START', 'YES', 'UNSTOP'])('%s opts in', (word) => expect(classifyKeyword(word)).toBe('opt-in'));
  it.each(['HELP', 'INFO'])('%s asks for help', (word) => expect(classifyKeyword(word)).toBe('help'));

  it('ignores case, surrounding spaces and punctuation', () => {
    expect(classifyKeyword('  Stop! ')).toBe('opt-out');
    expect(classifyKeyword('"unsubscribe."')).toBe('opt-out');
    expect(classifyKeyword('\nhelp?\n')).toBe('help');
    expect(classifyKeyword('Start 🙂')).toBe('opt-in');
  });

  it('does not treat sentences or other words as keywords', () => {
    expect(classifyKeyword('stop texting me')).toBeUndefined();
    expect(classifyKeyword('STOPPED')).toBeUndefined();
    expect(classifyKeyword('S.T.O.P')).toBeUndefined();
    expect(classifyKeyword('hasOwnProperty')).toBeUndefined();
    expect(classifyKeyword('')).toBeUndefined();
    expect(classifyKeyword(undefined)).toBeUndefined();
  });
});
