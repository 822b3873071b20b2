import { callApi, type HttpResult } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';

interface RunAnswer {
  done: boolean;
  nextRunAfterSeconds?: number;
}

interface ConsentShown {
  purposes: Record<string, { marketing: string; marketingOptIn?: { source: string; wording?: string; at: string } }>;
  history: Array<{ change: string; purpose: string; source: string; wording?: string; at: string }>;
}

// Own sandbox: outbound message lists per recipient must hold only this file's sends.
describe("campaign CSV proof: a marketing row's consentSource and consentAt are recorded as its opt-in", () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack({ ALLOWED_COUNTRIES: '' });
  });
  afterAll(() => own.close());

  const post = (path: string, body: Record<string, unknown>): Promise<HttpResult> =>
    callApi(`${own.functions.url}${path}`, { method: 'POST', body });
  const get = (path: string) => callApi(`${own.functions.url}${path}`);
  const create = async (body: Record<string, unknown>) => {
    const result = await post('/campaigns', { quietHours: 'none', ...body });
    expect(result.status).toBe(201);
    return (result.json as { id: string }).id;
  };
  const runToEnd = async (id: string) => {
    for (let i = 0; i < 200; i += 1) {
      const answer = (await post('/campaigns/run', { id })).json as RunAnswer;
      if (answer.done) return;
      if ((answer.nextRunAfterSeconds ?? 0) > 5) throw new Error(`the run asked to wait ${answer.nextRunAfterSeconds} s`);
    }
    throw new Error('the campaign never finished');
  };
  const outboundTo = async (to: string) => (await own.client.messages.list({ to })).filter((m) => m.direction === 'outbound-api');
  const consentOf = async (number: string) => (await get(`/consent?number=${encodeURIComponent(number)}`)).json as ConsentShown;
  const person = (k: number) => `+1206555${String(1000 + k).padStart(4, '0')}`;

  it('sends the rows with proof, refuses the others with no_marketing_consent and counts them; GET /consent shows the proof', async () => {
    const body = 'Spring sale, {{name}}: 20% off this week.';
    const id = await create({ name: 'Spring', channel: 'sms', kind: 'marketing', body });
    const [proven, alsoProven, recordedBefore, unproven, badDate, future] = [0, 1, 2, 3, 4, 5].map(person);
    // One person opted in earlier through POST /consent: no proof column needed.
    const earlier = await post('/consent', {
      number: recordedBefore,
      channel: 'sms',
      purpose: 'marketing',
      source: 'web-form:signup',
      wording: 'Acme offers by text',
    });
    expect(earlier.status).toBe(201);
    const rows = [
      { to: proven, name: 'Ada', consentSource: 'web-form:spring', consentAt: '2026-03-01T09:30:00Z' },
      { to: alsoProven, name: 'Bo', consentSource: 'paper-form', consentAt: '2026-03-02T10:00:00+01:00' },
      { to: recordedBefore, name: 'Cy' },
      { to: unproven, name: 'Di' },
      { to: badDate, name: 'Ed', consentSource: 'kiosk', consentAt: 'last week' },
      { to: future, name: 'Fi', consentSource: 'kiosk', consentAt: new Date(Date.now() + 86_400_000).toISOString() },
    ];
    const page = await post('/campaigns/recipients', { id, page: 0, recipients: rows });
    expect(page.json).toMatchObject({ accepted: 3, duplicatePage: false });
    expect((page.json as { refused: Array<{ to: string; reason: string }> }).refused).toEqual([
      { row: 4, to: unproven, reason: 'no_marketing_consent' },
      { row: 5, to: badDate, reason: 'invalid_consent' },
      { row: 6, to: future, reason: 'invalid_consent' },
    ]);

    // The proof is recorded as POST /consent records an opt-in: the gate's consent check passes.
    const shown = await consentOf(proven);
    expect(shown.purposes.sms).toMatchObject({
      marketing: 'allowed',
      marketingOptIn: { source: `campaign:${id}:web-form:spring`, wording: body, at: '2026-03-01T09:30:00.000Z' },
    });
    expect(shown.history).toEqual([
      expect.objectContaining({ change: 'opt-in', purpose: 'marketing', source: `campaign:${id}:web-form:spring` }),
    ]);
    expect((await consentOf(alsoProven)).history[0]).toMatchObject({ at: '2026-03-02T09:00:00.000Z' });
    expect((await consentOf(unproven)).history).toEqual([]);
    expect((await consentOf(badDate)).history).toEqual([]);

    await runToEnd(id);
    expect((await outboundTo(proven))[0].body).toBe('Spring sale, Ada: 20% off this week. Reply STOP to opt out.');
    expect(await outboundTo(alsoProven)).toHaveLength(1);
    expect(await outboundTo(recordedBefore)).toHaveLength(1);
    for (const number of [unproven, badDate, future]) expect(await outboundTo(number)).toHaveLength(0);
    const status = (await get(`/campaigns/status?id=${id}`)).json as { refusedByReason: Record<string, number> };
    expect(status.refusedByReason).toEqual({ no_marketing_consent: 1, invalid_consent: 2 });
  });

  it('ignores the proof columns in a transactional campaign', async () => {
    const id = await create({ name: 'Reminder', channel: 'sms', kind: 'transactional', body: 'See you tomorrow.' });
    const [withColumns, without] = [10, 11].map(person);
    const page = await post('/campaigns/recipients', {
      id,
      page: 0,
      recipients: [{ to: withColumns, consentSource: 'kiosk', consentAt: 'not a date' }, { to: without }],
    });
    expect(page.json).toMatchObject({ accepted: 2, refused: [] });
    expect((await consentOf(withColumns)).history).toEqual([]);
    await runToEnd(id);
    expect(await outboundTo(withColumns)).toHaveLength(1);
  });
});
