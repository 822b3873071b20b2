import { callApi, type HttpResult } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { TEST_PHONE_NUMBER } from '../../support/stack';
import { eventually } from '../../support/wait';
import { match } from '../../support/match';

interface RunAnswer {
  done: boolean;
  state: string;
  thisRun: { sent: number; refused: number };
  progress: { total: number; pending: number; sent: number; refused: number; failed: number };
  nextRunAfterSeconds?: number;
}

/** `n` valid US numbers (fictional 555-01xx lines over several area codes). */
const numbers = (n: number, first = 0): string[] =>
  Array.from({ length: n }, (_, i) => {
    const k = first + i;
    return `+1${['206', '212', '303', '305', '404', '415', '503', '512'][Math.floor(k / 100)]}55501${String(k % 100).padStart(2, '0')}`;
  });

// Own sandbox: outbound message lists per recipient must hold only this file's sends.
describe('campaigns: exactly once, through the gate, with reasons for everyone else', () => {
  let own: OwnStack;
  beforeAll(async () => {
    // Marketing at any hour: quiet hours are test/functions/outbound/quiet-hours.test.ts's.
    own = await startOwnStack({ ALLOWED_COUNTRIES: '', MARKETING_HOURS: 'replace:*=00:00-24:00' });
  });
  afterAll(() => own.close());

  const post = (path: string, body: Record<string, unknown>): Promise<HttpResult> =>
    callApi(`${own.functions.url}${path}`, { method: 'POST', body });
  const get = (path: string) => callApi(`${own.functions.url}${path}`);
  const create = async (body: Record<string, unknown>) => {
    const result = await post('/campaigns', body);
    expect(result.status).toBe(201);
    return (result.json as { id: string }).id;
  };
  const runToEnd = async (id: string): Promise<RunAnswer> => {
    for (let i = 0; i < 200; i += 1) {
      const answer = (await post('/campaigns/run', { id })).json as RunAnswer;
      if (answer.done) return answer;
      if ((answer.nextRunAfterSeconds ?? 0) > 5) throw new Error(`the run asked to wait ${answer.nextRunAfterSeconds} s`);
    }
    throw new Error('the campaign never finished');
  };
  const outboundTo = async (to: string) => (await own.client.messages.list({ to })).filter((m) => m.direction === 'outbound-api');
  const text = (from: string, body: string) =>
    fetch(`${own.sandbox.url}/_sandbox/phone/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from, to: TEST_PHONE_NUMBER, body }),
    });

  it('sends each eligible recipient exactly one message, with two drivers at once, and keeps a reason for every other', async () => {
    const people = numbers(120);
    const optedOut = people[5];
    await text(optedOut, 'STOP');
    const id = await create({
      name: 'Reminders',
      channel: 'sms',
      kind: 'transactional',
      body: 'Hi {{name}}, your appointment is tomorrow.',
      expectedRecipients: 130,
    });
    const page0 = [
      ...people.slice(0, 60).map((to, i) => ({ to, name: `P${i}` })),
      { to: people[3], name: 'again' },
      { to: 'not a number', name: 'x' },
      { phone: '+447400123456', name: 'abroad' },
      { to: people[60] },
    ];
    const first = await post('/campaigns/recipients', { id, page: 0, recipients: page0 });
    expect(first.json).toMatchObject({ accepted: 60, duplicatePage: false });
    expect((first.json as { refused: Array<{ reason: string }> }).refused.map((r) => r.reason).sort()).toEqual([
      'country_not_allowed',
      'duplicate',
      'invalid',
      'missing_variable',
    ]);
    // A client that crashed mid-upload sends the page again: nothing changes.
    expect((await post('/campaigns/recipients', { id, page: 0, recipients: page0 })).json).toMatchObject({
      accepted: 60,
      duplicatePage: true,
    });
    const second = await post('/campaigns/recipients', {
      id,
      page: 1,
      phone: 'x',
      recipients: [...people.slice(60).map((to, i) => ({ phone: to, name: `Q${i}` })), { to: people[10], name: 'dup' }],
    });
    expect(second.json).toMatchObject({ accepted: 60, refused: [{ reason: 'duplicate' }] });

    const [a, b] = await Promise.all([runToEnd(id), runToEnd(id)]);
    expect(a.done && b.done).toBe(true);
    const final = (await post('/campaigns/run', { id })).json as RunAnswer;
    expect(final.progress).toEqual({ total: 125, pending: 0, sent: 119, refused: 6, failed: 0 });

    const sent = await Promise.all(people.map(outboundTo));
    const counts = sent.map((list) => list.length);
    expect(counts.filter((n, i) => i !== 5 && n !== 1)).toEqual([]);
    expect(counts[5]).toBe(0);
    expect(sent[0][0].body).toBe('Hi P0, your appointment is tomorrow.');

    const refused = (await get(`/campaigns/recipient-list?id=${id}&state=refused`)).json as {
      recipients: Array<{ to: string; reason: string }>;
    };
    expect(refused.recipients.map((r) => r.reason).sort()).toEqual([
      'country_not_allowed',
      'duplicate',
      'duplicate',
      'invalid',
      'missing_variable',
      'opted_out',
    ]);
    expect(refused.recipients.find((r) => r.reason === 'opted_out')?.to).toBe(optedOut);
  });

  it('appends opt-out language to marketing, joins deliveries and counts STOPs within 24 hours, a repeated one once', async () => {
    const people = numbers(3, 200);
    const id = await create({ name: 'Sale', channel: 'sms', kind: 'marketing', body: 'Sale today, {{name}}!', quietHours: 'none' });
    // Marketing needs each person's recorded opt-in (POST /consent).
    for (const number of people) {
      const recorded = await post('/consent', {
        number,
        channel: 'sms',
        purpose: 'marketing',
        source: 'web-form:signup',
        wording: 'Acme offers by text',
      });
      expect(recorded.status).toBe(201);
    }
    await post('/campaigns/recipients', { id, page: 0, recipients: people.map((to) => ({ to, name: 'Ada' })) });
    await runToEnd(id);
    expect((await outboundTo(people[0]))[0].body).toBe('Sale today, Ada! Reply STOP to opt out.');
    await text(people[1], 'stop');
    // A repeated STOP, and words after it, change nothing: not counted again.
    await text(people[1], 'STOP');
    await text(people[1], 'please stop texting me');
    const status = await eventually(
      async () =>
        (await get(`/campaigns/status?id=${id}`)).json as { delivery: { delivered: number }; stopsWithin24h: number; deliveryRate: number },
      (s) => s.delivery.delivered === 3,
    );
    expect(status).toMatchObject({ stopsWithin24h: 1, deliveryRate: 1, state: 'done' });
  });

  it('keeps pages to their first rows, stores 500 refusals, and takes no page after the first run', async () => {
    const id = await create({ name: 'Pages', body: 'Hi' });
    const abroad = Array.from({ length: 500 }, (_, i) => ({ to: `+4474001${String(i).padStart(5, '0')}` }));
    const first = (await post('/campaigns/recipients', { id, page: 3, recipients: abroad })).json as {
      accepted: number;
      refused: unknown[];
    };
    expect({ accepted: first.accepted, refused: first.refused.length }).toEqual({ accepted: 0, refused: 500 });
    expect((await post('/campaigns/recipients', { id, page: 3, recipients: abroad })).json).toMatchObject({
      duplicatePage: true,
      refused: match.arrayContaining([match.anything()]),
    });
    expect((await post('/campaigns/recipients', { id, page: 3, recipients: [{ to: numbers(1, 350)[0] }] })).json).toMatchObject({
      error: { code: 'page_conflict' },
    });
    await post('/campaigns/recipients', { id, page: 4, recipients: [{ to: numbers(1, 351)[0] }] });
    await runToEnd(id);
    expect((await post('/campaigns/recipients', { id, page: 1, recipients: [{ to: numbers(1, 352)[0] }] })).json).toMatchObject({
      error: { code: 'campaign_started' },
    });
  });

  it('refuses bad requests clearly and stops a canceled campaign', async () => {
    expect((await post('/campaigns', { name: 'x', body: 'a', contentSid: `HX${'0'.repeat(32)}` })).status).toBe(400);
    expect((await post('/campaigns', { name: 'x', channel: 'whatsapp', body: 'a' })).json).toMatchObject({
      error: { code: 'template_required' },
    });
    expect((await post('/campaigns/recipients', { id: `CP${'0'.repeat(32)}`, page: 0, recipients: [{ to: '+12065550100' }] })).status).toBe(
      404,
    );
    expect((await post('/campaigns', { name: 'x', body: 'a', dryRun: true, expectedRecipients: 36_000 })).json).toEqual({
      plan: { senderType: 'long_code', mps: 1, recipients: 36_000, etaSeconds: 36_000, queueHours: 10, fitsQueue: false },
    });
    const quiet = (kind: string, start: string, end: string) =>
      post('/campaigns', { name: 'q', body: 'a', kind, dryRun: true, quietHours: { start, end, timeZone: 'America/New_York' } });
    for (const kind of ['transactional', 'marketing']) {
      expect(await quiet(kind, '21:00', '21:00')).toMatchObject({
        status: 400,
        json: { error: { code: 'invalid_parameter', message: match.stringMatching(/21:00 to 21:00 start and end are the same time/) } },
      });
      expect((await quiet(kind, '21:00', '08:00')).status).toBe(200); // overnight, the usual form
      expect((await quiet(kind, '20:00', '09:00')).status).toBe(200);
    }
    expect(await quiet('marketing', '08:00', '21:00')).toMatchObject({
      status: 400,
      json: { error: { code: 'invalid_parameter', message: match.stringMatching(/leaves midnight open/) } },
    });
    expect((await quiet('transactional', '12:00', '14:00')).status).toBe(200); // held over lunch
    const people = numbers(2, 300);
    const id = await create({ name: 'Stop me', body: 'Hello' });
    expect((await post('/campaigns/run', { id })).json).toMatchObject({ error: { code: 'no_recipients' } });
    await post('/campaigns/recipients', { id, page: 0, recipients: people.map((to) => ({ to })) });
    expect((await post('/campaigns/cancel', { id })).json).toMatchObject({ state: 'canceled' });
    expect((await post('/campaigns/run', { id })).json).toMatchObject({ done: true, state: 'canceled', thisRun: { sent: 0 } });
    expect(await outboundTo(people[0])).toHaveLength(0);
  });
});

// Own sandbox with Twilio faulting: 5% of Messages creates answer 20429 and 1% answer 500.
describe('a campaign under faults, with two drivers', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack({ ALLOWED_COUNTRIES: '' });
    for (const fault of [
      { status: 429, code: 20429, rate: 0.05, seed: 1 },
      { status: 500, code: 20500, rate: 0.01, seed: 2 },
    ]) {
      const response = await fetch(`${own.sandbox.url}/_sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ method: 'POST', pathPattern: '/Messages\\.json$', ...fault }),
      });
      expect(response.status).toBe(201);
    }
  });
  afterAll(() => own.close());

  const post = (path: string, body: Record<string, unknown>) => callApi(`${own.functions.url}${path}`, { method: 'POST', body });
  const drive = async (id: string): Promise<RunAnswer> => {
    for (let i = 0; i < 300; i += 1) {
      const answer = (await post('/campaigns/run', { id })).json as RunAnswer;
      if (answer.done) return answer;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, (answer.nextRunAfterSeconds ?? 0) * 1_000)));
    }
    throw new Error('the campaign never finished');
  };

  it('still sends every eligible recipient exactly one message', async () => {
    const people = numbers(250, 400);
    const rows = [
      ...people.map((to, i) => ({ to, name: `R${i}` })),
      ...people.slice(0, 20).map((to) => ({ to, name: 'dup' })),
      { to: '12', name: 'x' },
      { to: '+447400123456', name: 'uk' },
    ];
    const id = ((await post('/campaigns', { name: 'Under faults', body: 'Hello {{name}}' })).json as { id: string }).id;
    for (let page = 0; page * 500 < rows.length; page += 1) {
      expect((await post('/campaigns/recipients', { id, page, recipients: rows.slice(page * 500, (page + 1) * 500) })).status).toBe(200);
    }
    await Promise.all([drive(id), drive(id)]);
    const final = (await post('/campaigns/run', { id })).json as RunAnswer;
    expect(final.progress).toMatchObject({ total: 272, pending: 0, sent: 250, refused: 22, failed: 0 });
    const sent = (await own.client.messages.list({ pageSize: 1000 })).filter((m) => m.direction === 'outbound-api');
    const perRecipient = new Map<string, number>();
    for (const message of sent) perRecipient.set(message.to, (perRecipient.get(message.to) ?? 0) + 1);
    expect(people.filter((to) => perRecipient.get(to) !== 1)).toEqual([]);
    const faults = (await (await fetch(`${own.sandbox.url}/_sandbox/faults`)).json()) as Array<{ fired: number }>;
    expect(faults.every((fault) => fault.fired > 0)).toBe(true);
  }, 120_000);
});
