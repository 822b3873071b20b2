import { optionalBoolean, requiredString, stringList } from '../../../src/lib/http/params';
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
});
