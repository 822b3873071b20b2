import { quietHoursProblem, quietMinutesLeft } from '../../../src/lib/campaigns/quiet-hours';
import { missingVariables, placeholders, render, withOptOutLanguage } from '../../../src/lib/campaigns/template';

describe('campaign templates', () => {
  it('finds, fills and checks {{column}} placeholders', () => {
    expect(placeholders('Hi {{ name }}, {{time}} at {{name}}')).toEqual(['name', 'time']);
    expect(render('Hi {{name}}, see you {{ time }}.', { name: 'Ada', time: '3 PM' })).toBe('Hi Ada, see you 3 PM.');
    expect(missingVariables(['name', 'time'], { name: 'Ada', time: '' })).toEqual(['time']);
  });

  it('adds opt-out language to marketing unless the body says how to stop', () => {
    expect(withOptOutLanguage('Sale today!')).toBe('Sale today! Reply STOP to opt out.');
    expect(withOptOutLanguage('Sale today! Text STOP to end.')).toBe('Sale today! Text STOP to end.');
    expect(withOptOutLanguage('Sale! Unsubscribe: reply UNSUBSCRIBE')).toBe('Sale! Unsubscribe: reply UNSUBSCRIBE');
  });

  it.each([
    'Sale! Reply STOP to opt out',
    'Sale! reply stop to unsubscribe',
    'Sale! Text STOP to 12345',
    'Sale! STOP to opt out',
    'Sale! Txt END 2 quit',
    'Sale! Reply "STOP" to end',
  ])('keeps %j as it is: it already says how to opt out', (body) => expect(withOptOutLanguage(body)).toBe(body));

  it.each([
    'Non-stop deals this weekend!',
    'Stop by our store today',
    "Don't stop shopping",
    'Put a stop to high prices',
    'Unsubscribe-proof savings',
    'Opt out of boring',
    'Put a stop to end-of-season prices',
  ])('adds the footer to %j: the word alone is no instruction', (body) =>
    expect(withOptOutLanguage(body)).toBe(`${body} Reply STOP to opt out.`),
  );
});

describe('which quiet windows are valid', () => {
  const at = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  const problem = (start: string, end: string, kind: 'transactional' | 'marketing') =>
    quietHoursProblem({ start: at(start), end: at(end) }, kind);

  it.each([
    ['21:00', '08:00', 'marketing'],
    ['20:00', '09:00', 'marketing'],
    ['22:30', '07:00', 'marketing'],
    ['00:00', '23:59', 'marketing'],
    ['00:00', '08:00', 'marketing'],
    ['12:00', '14:00', 'transactional'],
    ['08:00', '21:00', 'transactional'],
    ['23:00', '06:00', 'transactional'],
  ] as const)('takes %s to %s for %s', (start, end, kind) => expect(problem(start, end, kind)).toBeUndefined());

  it.each(['transactional', 'marketing'] as const)('refuses a %s window that starts when it ends', (kind) => {
    for (const time of ['00:00', '08:00', '21:00']) expect(problem(time, time, kind)).toMatch(/same time/);
  });

  it.each([
    ['08:00', '21:00'],
    ['12:00', '14:00'],
    ['09:00', '10:00'],
    ['07:00', '22:00'],
  ])('refuses marketing held %s to %s: midnight left open, sent at night', (start, end) =>
    expect(problem(start, end, 'marketing')).toMatch(/midnight open/),
  );
});

describe("quiet hours in the recipient's time", () => {
  const quiet = { start: 21 * 60, end: 8 * 60, timeZone: 'America/New_York' };
  it("reads the zone from a one-zone country, and the sender's zone otherwise", () => {
    const at = new Date('2026-12-01T22:30:00Z'); // 22:30 in London, 17:30 in New York
    expect(quietMinutesLeft(quiet, '+447400123456', at)).toBe(570); // until 08:00 London
    expect(quietMinutesLeft(quiet, '+12025550123', at)).toBe(0);
  });

  it('without a sender zone, keeps a multi-zone country quiet while it is quiet anywhere in it', () => {
    const quietNoZone = { start: 21 * 60, end: 8 * 60 };
    expect(quietMinutesLeft(quietNoZone, '+12025550123', new Date('2026-12-01T13:30:00Z'))).toBe(150); // 08:30 New York, 05:30 Los Angeles
    expect(quietMinutesLeft(quietNoZone, '+12025550123', new Date('2026-12-01T18:00:00Z'))).toBe(0);
  });

  it('handles a window that does not cross midnight', () => {
    expect(quietMinutesLeft({ start: 12 * 60, end: 13 * 60, timeZone: 'UTC' }, '+12025550123', new Date('2026-12-01T12:15:00Z'))).toBe(45);
  });
});
