import { PassThrough } from 'node:stream';
import { createProgress, formatDuration, progressLine } from '../../../scripts/campaign/progress';
import { retryDelayMs } from '../../../scripts/campaign/retry';
import { formatPlan, formatSummary, formatWarnings } from '../../../scripts/campaign/summary';
import { csvField } from '../../../src/lib/http/csv';

describe('campaign CLI output', () => {
  it('formats durations the way people read them', () => {
    expect([0, 45, 185, 7_620, 273_600].map(formatDuration)).toEqual(['0s', '45s', '3m 05s', '2h 07m', '3d 4h']);
  });

  it('prints a plain progress line at most every interval off a terminal, and the last state at the end', () => {
    const stream = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
    let now = 0;
    const view = createProgress({ stream, intervalMs: 5_000, now: () => now });
    const snapshot = { phase: 'send' as const, total: 5_000, sent: 1_100, refused: 80, failed: 20, done: 1_200, etaSeconds: 190 };
    view.update(snapshot);
    now = 1_000;
    view.update({ ...snapshot, done: 1_300, sent: 1_200 });
    now = 2_000;
    view.update({ ...snapshot, done: 1_400, sent: 1_300 });
    view.stop();
    const lines = String((stream as unknown as PassThrough).read())
      .trim()
      .split('\n');
    expect(lines).toEqual([
      'send 1,200/5,000 (24%) sent 1,100 · refused 80 · failed 20 | ETA 3m 10s',
      'send 1,400/5,000 (28%) sent 1,300 · refused 80 · failed 20 | ETA 3m 10s',
    ]);
    expect(progressLine({ phase: 'upload', done: 500, total: 1_000, sent: 0, refused: 3, failed: 0 })).toBe(
      'upload 500/1,000 (50%) refused 3',
    );
  });

  it('prints the plan with the sender, ETA and whether Twilio’s queue holds it', () => {
    expect(formatPlan({ senderType: 'toll_free', mps: 3, recipients: 5_000, etaSeconds: 1_667, queueHours: 0.46, fitsQueue: true })).toBe(
      [
        '  recipients                             5,000',
        '  sender        toll-free number, 3 messages/s',
        '  ETA                                  27m 47s',
        '  Twilio queue         0.46 h of backlog: fits',
      ].join('\n'),
    );
    expect(
      formatPlan({ senderType: 'long_code', mps: 1, recipients: 40_000, etaSeconds: 40_000, queueHours: 11.11, fitsQueue: false }),
    ).toContain('does NOT fit');
  });

  it('prints each unregistered sender the plan warns about on a WARNING line, and nothing without warnings', () => {
    expect(formatWarnings([{ message: '+14155550142 is a US 10DLC number … (Twilio error 30034)' }])).toBe(
      '\nWARNING: +14155550142 is a US 10DLC number … (Twilio error 30034)',
    );
    expect(formatWarnings([])).toBe('');
  });

  it('prints the summary table with refusals by reason, most first, and delivery so far', () => {
    const summary = formatSummary({
      id: 'CP1',
      name: 'April',
      state: 'done',
      progress: { total: 5_000, pending: 0, sent: 4_700, refused: 250, failed: 50 },
      refusedByReason: { invalid: 100, opted_out: 50, duplicate: 100, not_mobile: 0 },
      delivery: { delivered: 4_500, undelivered: 20, failed: 0 },
      deliveryRate: 0.957,
      stopsWithin24h: 3,
    });
    expect(summary).toBe(
      [
        'Campaign CP1 "April": done',
        '  recipients         5,000',
        '  sent               4,700',
        '  refused              250',
        '    invalid            100',
        '    duplicate          100',
        '    opted_out           50',
        '  failed                50',
        '  delivery so far',
        '    delivered        4,500',
        '    undelivered         20',
        '  delivery rate      95.7%',
        '  STOPs within 24 h      3',
      ].join('\n'),
    );
  });

  it("escapes cells a spreadsheet would run as formulas, OWASP's way, and leaves plain numbers alone", () => {
    expect(['=HYPERLINK("https://evil.example","x")', '+cmd|x', '-2+3', '@SUM(A1)', '\t=1', '\r=1', "'quoted"].map(csvField)).toEqual([
      `"'=HYPERLINK(""https://evil.example"",""x"")"`,
      `"'+cmd|x"`,
      `"'-2+3"`,
      `"'@SUM(A1)"`,
      `"'\t=1"`,
      `"'\r=1"`,
      `"'quoted"`,
    ]);
    expect(['+14155550100', '-5', '12.5'].map(csvField)).toEqual(['+14155550100', '-5', '12.5']);
  });

  it('quotes CSV fields only where needed', () => {
    expect(['+14155550100', 'a,b', 'say "hi"', ' x'].map(csvField)).toEqual(['+14155550100', '"a,b"', '"say ""hi"""', '" x"']);
  });

  it('backs off exponentially with jitter, capped, honouring Retry-After', () => {
    const options = { attempts: 8, baseDelayMs: 500, maxDelayMs: 20_000 };
    expect([1, 2, 3, 10].map((attempt) => retryDelayMs(attempt, options, undefined, () => 0))).toEqual([250, 500, 1_000, 10_000]);
    expect([1, 2, 3, 10].map((attempt) => retryDelayMs(attempt, options, undefined, () => 1))).toEqual([500, 1_000, 2_000, 20_000]);
    expect(retryDelayMs(1, options, 3_000, () => 0)).toBe(3_000);
    expect(retryDelayMs(1, options, 60_000, () => 0)).toBe(20_000);
  });
});
