import { callApi, type HttpResult } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { TEST_API_TOKEN } from '../../support/stack';

const WORDING = 'I agree to receive recurring marketing texts from Acme at this number. Consent is not a condition of purchase.';

/** The hour now in a zone (the Functions run on real time, so the windows are chosen around it). */
const hourIn = (timeZone: string, when = new Date()): number =>
  Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(when));
const localTime = (timeZone: string, when: Date): string =>
  new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(when);

// MARKETING_HOURS only narrows the law: California's window is cut to a legal hour that is not
// now there (08:00-09:00, or 09:00-10:00 while it is 8 o'clock in California).
const closedStart = hourIn('America/Los_Angeles') === 8 ? '09:00' : '08:00';
const closedEnd = closedStart === '08:00' ? '09:00' : '10:00';
/** A place whose law's window (8 AM to 9 PM) is open now, with an hour of margin: New York, London or Tokyo cover every hour. */
const OPEN_PLACES = [
  { zone: 'America/New_York', prefix: '+1212555' },
  { zone: 'Europe/London', prefix: '+44207946' },
  { zone: 'Asia/Tokyo', prefix: '+8135555' },
];
const openPlace = OPEN_PLACES.find(({ zone }) => hourIn(zone) >= 9 && hourIn(zone) < 20) ?? OPEN_PLACES[0];

describe('quiet hours for every marketing send (409 quiet_hours with retryAt)', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack({ ALLOWED_COUNTRIES: 'US,GB,JP', MARKETING_HOURS: `CA=${closedStart}-${closedEnd}` });
  });
  afterAll(() => own.close());

  let line = 100;
  const californian = () => `+1415555${String(line++).padStart(4, '0')}`;
  const openRecipient = () => `${openPlace.prefix}${String(line++).padStart(4, '0')}`;
  const api = (path: string, body: Record<string, unknown>): Promise<HttpResult> =>
    callApi(`${own.functions.url}${path}`, { method: 'POST', body });
  const error = (result: HttpResult) => (result.json as { error?: { code: string; retryAt?: string } }).error;
  const optIn = (number: string, channel = 'sms') =>
    api('/consent', { number, channel, purpose: 'marketing', source: 'web-form:signup', wording: WORDING });
  const sentTo = async (address: string) => (await own.client.messages.list({ to: address })).filter((m) => m.direction === 'outbound-api');

  it('refuses a marketing SMS outside the recipient window with the next opening, and sends nothing', async () => {
    const to = californian();
    expect((await optIn(to)).status).toBe(201);
    const refused = await api('/sms/send', { to, body: 'Sale today', purpose: 'marketing' });
    expect(refused.status).toBe(409);
    expect(error(refused)?.code).toBe('quiet_hours');
    const retryAt = new Date(error(refused)?.retryAt ?? '');
    expect(retryAt.toISOString()).toBe(error(refused)?.retryAt);
    expect(retryAt.getTime()).toBeGreaterThan(Date.now());
    expect(retryAt.getTime() - Date.now()).toBeLessThanOrEqual(25 * 3600_000);
    expect(localTime('America/Los_Angeles', retryAt)).toBe(closedStart);
    expect(await sentTo(to)).toHaveLength(0);
  });

  it('gives an Idempotency-Key back after quiet_hours, so the same key can be retried at retryAt', async () => {
    const to = californian();
    await optIn(to);
    const send = () =>
      fetch(`${own.functions.url}/sms/send`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': 'application/json', 'idempotency-key': `late-${to}` },
        body: JSON.stringify({ to, body: 'Sale today', purpose: 'marketing' }),
      });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const response = await send();
      expect(response.status).toBe(409);
      expect(response.headers.get('idempotent-replayed')).toBeNull();
    }
  });

  it('sends marketing inside the window, and transactional sends whatever the hour', async () => {
    const open = openRecipient();
    await optIn(open);
    expect((await api('/sms/send', { to: open, body: 'Sale today', purpose: 'marketing' })).status).toBe(200);
    expect(await sentTo(open)).toHaveLength(1);
    const closed = californian();
    expect((await api('/sms/send', { to: closed, body: 'Your order shipped' })).status).toBe(200);
    expect(await sentTo(closed)).toHaveLength(1);
  });

  it('holds WhatsApp and voice marketing by the same rule', async () => {
    const to = californian();
    await optIn(to, 'whatsapp');
    await optIn(to, 'voice');
    expect(error(await api('/whatsapp/send', { to, body: 'Sale today', purpose: 'marketing' }))?.code).toBe('quiet_hours');
    expect(error(await api('/voice/call', { to, message: 'Sale today', purpose: 'marketing' }))?.code).toBe('quiet_hours');
  });

  it('holds a marketing campaign to a recipient outside the window (the same rule) rather than refusing it', async () => {
    const to = californian();
    await optIn(to);
    const created = await api('/campaigns', { name: 'Late sale', channel: 'sms', kind: 'marketing', body: 'Sale', quietHours: 'none' });
    expect(created.status).toBe(201);
    const { id } = created.json as { id: string };
    await api('/campaigns/recipients', { id, page: 0, recipients: [{ to }] });
    const answer = (await api('/campaigns/run', { id })).json as { done: boolean; nextRunAfterSeconds?: number };
    expect(answer).toMatchObject({ done: false, progress: { pending: 1, sent: 0, refused: 0 } });
    expect(answer.nextRunAfterSeconds).toBeGreaterThan(60);
    expect(await sentTo(to)).toHaveLength(0);
  });
});
