import { checkNesting, MAX_NESTING, optionalBoolean, requiredString, stringList, withTextReplaced } from '../../../src/lib/http/params';
import { errorWith } from '../../support/match';

describe('params', () => {
  it('trims strings and refuses missing, empty, non-string or over-long values', () => {
    expect(requiredString({ to: '  +14155550142 ' }, 'to')).toBe('+14155550142');
    expect(() => requiredString({}, 'to')).toThrow(errorWith({ status: 400, code: 'missing_parameter' }));
    expect(() => requiredString({ to: '   ' }, 'to')).toThrow(errorWith({ code: 'missing_parameter' }));
    expect(() => requiredString({ to: ['a', 'b'] }, 'to')).toThrow(errorWith({ code: 'invalid_parameter' }));
    expect(() => requiredString({ to: 'x'.repeat(11) }, 'to', { maxLength: 10 })).toThrow(errorWith({ code: 'invalid_parameter' }));
  });

  it('reads one or many strings', () => {
    expect(stringList({ mediaUrl: 'https://a.example/1.png' }, 'mediaUrl')).toEqual(['https://a.example/1.png']);
    expect(stringList({ mediaUrl: ['a', ' b '] }, 'mediaUrl')).toEqual(['a', 'b']);
    expect(stringList({}, 'mediaUrl')).toEqual([]);
    expect(() => stringList({ mediaUrl: [1] }, 'mediaUrl')).toThrow(errorWith({ code: 'invalid_parameter' }));
  });

  it('reads booleans from JSON and forms', () => {
    expect(optionalBoolean({ a: true }, 'a')).toBe(true);
    expect(optionalBoolean({ a: 'false' }, 'a')).toBe(false);
    expect(optionalBoolean({}, 'a')).toBeUndefined();
    expect(() => optionalBoolean({ a: 'maybe' }, 'a')).toThrow(errorWith({ code: 'invalid_parameter' }));
  });

  it("replaces, in Twilio's text, control characters and lone surrogates with U+FFFD; keeps tab and line breaks", () => {
    expect(
      withTextReplaced({
        Body: 'STOP\u0007',
        Note: 'a\fb\u0000c\u007F',
        Lines: 'a\tb\r\nc',
        Half: 'x\uD800',
        Many: ['\u001B', 'ok'],
        Count: 2,
      }),
    ).toEqual({
      Body: 'STOP\uFFFD',
      Note: 'a\uFFFDb\uFFFDc\uFFFD',
      Lines: 'a\tb\r\nc',
      Half: 'x\uFFFD',
      Many: ['\uFFFD', 'ok'],
      Count: 2,
    });
  });

  it(`refuses parameters nested more than ${MAX_NESTING} levels deep, without recursion`, () => {
    const nest = (depth: number): unknown => {
      let value: unknown = 'x';
      for (let level = 0; level < depth; level += 1) value = { k: value };
      return value;
    };
    expect(() => checkNesting({ a: nest(MAX_NESTING - 1) })).not.toThrow();
    expect(() => checkNesting({ a: nest(MAX_NESTING) })).toThrow(errorWith({ status: 400, code: 'too_deeply_nested' }));
    expect(() => checkNesting({ a: nest(1_000_000) })).toThrow(errorWith({ code: 'too_deeply_nested' }));
  });
});
