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

  it.each([
    ['full-width', '\uFF33\uFF34\uFF2F\uFF30'],
    ['a trailing zero-width space', 'STOP\u200B'],
    ['a soft hyphen inside', 'S\u00ADTOP'],
    ['a trailing emoji with its variation selector', 'STOP\u2764\uFE0F'],
    ['a zero-width joiner inside', 'ST\u200DOP'],
    ['a leading byte-order mark', '\uFEFFstop'],
    ['a skin-toned emoji', 'stop \u{1F44D}\u{1F3FD}'],
    ['a non-breaking space', '\u00A0Stop\u00A0'],
    ['a combining accent', 'STO\u0301P'],
    ['a Turkish keyboard (dotted capital I)', 'QU\u0130T'],
  ])('opts out with %s', (_, body) => expect(classifyKeyword(body)).toBe('opt-out'));

  it('folds compatibility forms for the other keywords too', () => {
    expect(classifyKeyword('\uFF33\uFF34\uFF21\uFF32\uFF34')).toBe('opt-in');
    expect(classifyKeyword('\u24D7\u24D4\u24DB\u24DF')).toBe('help');
    expect(classifyKeyword('\u0131nfo')).toBe('help');
  });

  it('does not treat sentences or other words as keywords', () => {
    expect(classifyKeyword('stop texting me')).toBeUndefined();
    expect(classifyKeyword('stop\u200Btexting me')).toBeUndefined();
    expect(classifyKeyword('STOP\u2764\uFE0F me')).toBeUndefined();
    expect(classifyKeyword('STOPPED')).toBeUndefined();
    expect(classifyKeyword('S.T.O.P')).toBeUndefined();
    expect(classifyKeyword('hasOwnProperty')).toBeUndefined();
    expect(classifyKeyword('')).toBeUndefined();
    expect(classifyKeyword(undefined)).toBeUndefined();
  });

  it.each([
    ['a Hangul filler (U+3164) before', '\u3164STOP'],
    ['a halfwidth Hangul filler (U+FFA0) after', 'STOP\uFFA0'],
    ['Hangul choseong and jungseong fillers (U+115F, U+1160) inside', 'S\u115FTO\u1160P'],
    ['a combining grapheme joiner (U+034F) inside', 'ST\u034FOP'],
    ['a Mongolian free variation selector (U+180B) inside', 'STO\u180BP'],
  ])('opts out with %s: every Default_Ignorable_Code_Point is stripped', (_, body) => expect(classifyKeyword(body)).toBe('opt-out'));
});
