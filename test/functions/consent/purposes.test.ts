import { parse } from 'csv-parse/sync';
import { callApi, type HttpResult } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { textFromPhone } from '../../support/sandbox-phone';

const WORDING = 'I agree to receive recurring marketing texts from Acme at this number. Consent is not a condition of purchase.';

// Own sandbox: GET /consent/export lists every history in it, so only this file's records are there.
describe('purposes and proof: marketing needs a recorded opt-in, the records are shown and exported', () => {
  let own: OwnStack;
  beforeAll(async () => {
    // Marketing at any hour: quiet hours are test/functions/outbound/quiet-hours.test.ts's.
    own = await startOwnStack({ ALLOWED_COUNTRIES: '', MARKETING_HOURS: 'replace:*=00:00-24:00' });
  });
  afterAll(() => own.close());

  let line = 100;
  /** A fresh US mobile number for each test. */
  const person = () => `+1206555${String(line++).padStart(4, '0')}`;
  const api = (path: string, body?: Record<string, unknown>): Promise<HttpResult> =>
    callApi(`${own.functions.url}${path}`, body ? { method: 'POST', body } : {});
  const refusal = (result: HttpResult) => ({ status: result.status, code: (result.json as { error?: { code: string } }).error?.code });
  const sentTo = async (address: string) => (await own.client.messages.list({ to: address })).filter((m) => m.direction === 'outbound-api');
  const optIn = (number: string, extra: Record<string, unknown> = {}) =>
    api('/consent', { number, channel: 'sms', purpose: 'marketing', source: 'web-form:signup', wording: WORDING, ...extra });
  const text = (from: string, body: string) => textFromPhone(from, body, { sandboxUrl: own.sandbox.url });

  it('refuses a marketing SMS without a recorded opt-in (409 no_marketing_consent) and sends nothing; transactional still goes', async () => {
    const to = person();
    expect(refusal(await api('/sms/send', { to, body: 'Sale today', purpose: 'marketing' }))).toEqual({
      status: 409,
      code: 'no_marketing_consent',
    });
    expect(await sentTo(to)).toHaveLength(0);
    expect((await api('/sms/send', { to, body: 'Your order shipped' })).status).toBe(200);
    expect(await sentTo(to)).toHaveLength(1);
  });

  it('sends marketing after POST /consent records the opt-in, on that channel only', async () => {
    const to = person();
    const recorded = await optIn(to, { at: '2026-01-05T10:00:00Z' });
    expect(recorded.status).toBe(201);
    expect((await api('/sms/send', { to, body: 'Sale today', purpose: 'marketing' })).status).toBe(200);
    expect(await sentTo(to)).toHaveLength(1);
    expect(refusal(await api('/whatsapp/send', { to, body: 'Sale today', purpose: 'marketing' }))).toEqual({
      status: 409,
      code: 'no_marketing_consent',
    });
    expect(refusal(await api('/voice/call', { to, message: 'Sale today', purpose: 'marketing' }))).toEqual({
      status: 409,
      code: 'no_marketing_consent',
    });
  });

  it('stops marketing only after an opt-out scoped to marketing; a later opt-in allows it again', async () => {
    const to = person();
    await optIn(to, { at: '2026-01-05T10:00:00Z' });
    const out = await api('/consent', { number: to, channel: 'sms', purpose: 'marketing', change: 'opt-out', source: 'preference-center' });
    expect(out.status).toBe(201);
    expect(refusal(await api('/sms/send', { to, body: 'Sale today', purpose: 'marketing' }))).toEqual({ status: 409, code: 'opted_out' });
    expect((await api('/sms/send', { to, body: 'Your order shipped', purpose: 'transactional' })).status).toBe(200);
    // The opt-out's one confirmation (see opt-out-confirmation.test.ts), then the transactional send.
    expect((await sentTo(to)).map((message) => message.body).sort()).toEqual([
      'You will get no more marketing messages. Reply STOP to stop all messages.',
      'Your order shipped',
    ]);
    await optIn(to, { source: 'web-form:resubscribe' });
    expect((await api('/sms/send', { to, body: 'Sale today', purpose: 'marketing' })).status).toBe(200);
  });

  it('STOP stops every purpose, and an opt-in from before the STOP no longer counts after START', async () => {
    const to = person();
    await optIn(to, { at: '2026-01-05T10:00:00Z' });
    await text(to, 'STOP');
    expect(refusal(await api('/sms/send', { to, body: 'Sale', purpose: 'marketing' }))).toEqual({ status: 409, code: 'opted_out' });
    expect(refusal(await api('/sms/send', { to, body: 'Shipped' }))).toEqual({ status: 409, code: 'opted_out' });
    await text(to, 'START');
    expect((await api('/sms/send', { to, body: 'Shipped' })).status).toBe(200);
    expect(refusal(await api('/sms/send', { to, body: 'Sale', purpose: 'marketing' }))).toEqual({
      status: 409,
      code: 'no_marketing_consent',
    });
  });

  it('GET /consent shows each purpose and the history, oldest first', async () => {
    const to = person();
    await optIn(to, { at: '2026-01-05T10:00:00Z' });
    await api('/consent', { number: to, channel: 'sms', purpose: 'marketing', change: 'opt-out', source: 'support-call' });
    const shown = (await api(`/consent?number=${encodeURIComponent(to)}`)).json as {
      purposes: Record<string, { transactional: string; marketing: string; marketingOptIn?: { source: string } }>;
      history: Array<{ change: string; source: string; purpose: string; at: string; wording?: string }>;
    };
    expect(shown.purposes.sms).toMatchObject({
      transactional: 'allowed',
      marketing: 'opted_out',
      marketingOptIn: { source: 'web-form:signup' },
    });
    expect(shown.purposes.whatsapp).toMatchObject({ transactional: 'allowed', marketing: 'no_marketing_consent' });
    expect(shown.history.map(({ change, source }) => [change, source])).toEqual([
      ['opt-in', 'web-form:signup'],
      ['opt-out', 'support-call'],
    ]);
    expect(shown.history[0]).toMatchObject({ purpose: 'marketing', at: '2026-01-05T10:00:00.000Z', wording: WORDING });
  });

  it('keeps STOP and START in the history and the export, beside the opt-out record', async () => {
    const to = person();
    await text(to, 'STOP');
    await text(to, 'start');
    const shown = (await api(`/consent?number=${encodeURIComponent(to)}`)).json as {
      channels: Record<string, { optedOut: boolean }>;
      history: Array<{ channel: string; purpose: string; change: string; source: string; at: string }>;
    };
    expect(shown.channels.sms.optedOut).toBe(false);
    expect(shown.history.map(({ channel, purpose, change, source }) => [channel, purpose, change, source])).toEqual([
      ['sms', 'transactional', 'opt-out', 'keyword:STOP'],
      ['sms', 'transactional', 'opt-in', 'keyword:start'],
    ]);
    expect(shown.history[0].at <= shown.history[1].at).toBe(true);
    const exported: Array<Record<string, string>> = [];
    let cursor: string | undefined;
    do {
      const page = await callApi(`${own.functions.url}/consent/export?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      exported.push(...parse<Record<string, string>>(page.text, { columns: true }));
      cursor = page.headers.get('next-cursor') ?? undefined;
    } while (cursor);
    expect(exported.filter((row) => row.number === to).map((row) => [row.change, row.source])).toEqual([
      ['opt-out', 'keyword:STOP'],
      ['opt-in', 'keyword:start'],
    ]);
  });

  it('refuses unbounded or impossible records with 400', async () => {
    const to = person();
    const bad = [
      { at: new Date(Date.now() + 3_600_000).toISOString() },
      { at: 'yesterday' },
      // A date alone would be read as UTC midnight, not what the person saw (the campaign rows' rule too).
      { at: '2026-01-05' },
      // Rolled over to March 2 by Date.parse; and a time without its offset, read in the server's zone.
      { at: '2026-02-30T00:00:00Z' },
      { at: '2026-05-01T12:00:00' },
      { wording: 'x'.repeat(481) },
      { source: 's'.repeat(65) },
      { channel: 'email' },
      { purpose: 'promo' },
      { wording: undefined },
    ];
    for (const extra of bad) expect((await optIn(to, extra)).status).toBe(400);
    // An opt-out without its source is refused, not answered with the current state as a read.
    const noSource = await api('/consent', { number: to, channel: 'sms', purpose: 'marketing', change: 'opt-out' });
    expect(noSource.status).toBe(400);
    expect(noSource.json).toMatchObject({ error: { code: 'missing_parameter' } });
    expect((await api(`/consent?number=${encodeURIComponent(to)}`)).json).toMatchObject({ history: [] });
  });

  it('refuses a campaign whose kind and purpose disagree, and accepts purpose as kind', async () => {
    const campaign = { name: 'Spring', body: 'Hello', dryRun: true };
    expect((await api('/campaigns', { ...campaign, kind: 'marketing', purpose: 'transactional' })).status).toBe(400);
    expect((await api('/campaigns', { ...campaign, name: 'x', purpose: 'marketing' })).status).toBe(200);
    const created = await api('/campaigns', { ...campaign, dryRun: false, purpose: 'marketing' });
    expect(created.json).toMatchObject({ kind: 'marketing' });
  });

  it('GET /consent/export pages through every record as CSV, formulas escaped', async () => {
    const numbers = [person(), person(), person()];
    for (const number of numbers) await optIn(number, { source: '=HYPERLINK("https://evil.example")' });
    const rows: Array<Record<string, string>> = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await callApi(`${own.functions.url}/consent/export?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/csv/);
      rows.push(...parse<Record<string, string>>(page.text, { columns: true }));
      cursor = page.headers.get('next-cursor') ?? undefined;
      pages++;
    } while (cursor && pages < 100);
    expect(pages).toBeGreaterThan(2);
    // Every history recorded in this sandbox, event for event.
    const histories = new Map<string, unknown[]>();
    for (const row of rows) histories.set(row.number, [...(histories.get(row.number) ?? []), row]);
    for (const [number, exported] of histories) {
      const { history } = (await api(`/consent?number=${encodeURIComponent(number)}`)).json as { history: Array<Record<string, string>> };
      expect(exported).toEqual(
        history.map((event) => ({
          number,
          channel: event.channel,
          purpose: event.purpose,
          change: event.change,
          source: event.source.startsWith('=') ? `'${event.source}` : event.source,
          wording: event.wording ?? '',
          at: event.at,
          recordedAt: event.recordedAt,
        })),
      );
    }
    expect(numbers.every((number) => histories.has(number))).toBe(true);
    expect(rows.filter((row) => row.source === `'=HYPERLINK("https://evil.example")`)).toHaveLength(3);
    expect((await callApi(`${own.functions.url}/consent/export?cursor=nonsense`)).status).toBe(400);
  });
});
