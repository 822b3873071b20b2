/**
 * The operator dashboard in a real browser (Debian's Chromium driven by playwright-core, as the
 * console's test), against a sandbox and local Functions of this test's own: the page is public
 * assets, asks for the token, shows the API's numbers, and costs the same requests however many
 * messages were sent.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../console/console-page';
import { TEST_API_TOKEN, TEST_ORIGIN, TEST_PHONE_NUMBER } from '../support/stack';
import { startOwnStack, type OwnStack } from '../support/own-stack';
import { readSettings } from '../../src/lib/config/settings';
import { Deadline } from '../../src/lib/runtime/deadline';
import { recordStatusCountingOnce } from '../../src/lib/sms/outcomes';
import { createStores } from '../../src/lib/stores';
import { callNumber } from '../support/sandbox-call';
import { eventually } from '../support/wait';
import { seedDeliveredMessages } from '../support/seed-records';
import { callApi } from '../support/http';
import { lastRequestSeq, requestsAfter } from '../support/sandbox-requests';

jest.setTimeout(120_000);

const DELIVERED_TO = ['+14155550101', '+14155550102', '+14155550103'];
/** The sandbox's lifecycle magic numbers (sandbox/magic-numbers.ts): undelivered 30003, undelivered 30006, failed 30008. */
const FAILING_TO = ['+15005550010', '+15005550011', '+15005550012'];
const STOPPING_PHONE = '+14155550104';
/** The sandbox's silent recipient (MAGIC_NO_RECEIPT_TO): sending → sent, then no receipt ever. */
const SILENT_TO = '+15005550014';

let own: OwnStack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  own = await startOwnStack();
  page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
  page.setDefaultTimeout(20_000);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await own?.close();
});

const bearer = { authorization: `Bearer ${TEST_API_TOKEN}` };
const send = (to: string) =>
  fetch(`${own.functions.url}/sms/send`, {
    method: 'POST',
    headers: { ...bearer, 'content-type': 'application/json' },
    body: JSON.stringify({ to, body: 'Your order has shipped.' }),
  });
const apiJson = async <T>(path: string): Promise<T> =>
  (await (await fetch(`${own.functions.url}${path}`, { headers: bearer })).json()) as T;
/** The Twilio and Sync requests the sandbox answered after `seq`, as `METHOD host`, sorted. */
const countedAfter = async (seq: number): Promise<string[]> => {
  const entries = await requestsAfter(own.sandbox.url, seq);
  // /health's read of the usage pause is left out: each instance reuses that answer for 5 s, so
  // whether a refresh reads it depends on the clock, not on how many messages are recorded.
  const counted = entries.filter((entry) => !entry.path.includes('/Maps/sending-pause/'));
  return counted.map((entry) => `${entry.method} ${entry.host}`).sort();
};

/** Opens the dashboard and signs in; resolves when every panel has loaded. */
async function openSignedIn(token = TEST_API_TOKEN): Promise<void> {
  await page.goto(`${own.functions.url}/dashboard`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Open dashboard' }).click();
}
const waitLoaded = () =>
  page
    .getByRole('status')
    .filter({ hasText: /^Updated/ })
    .waitFor();

describe('the operator dashboard', () => {
  it('GET /dashboard sends the browser to the page, which is public assets with no secret', async () => {
    const redirect = await fetch(`${own.functions.url}/dashboard`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/dashboard/index.html');
    for (const asset of ['index.html', 'dashboard.js', 'dashboard.css', 'uplot.css']) {
      const answer = await fetch(`${own.functions.url}/dashboard/${asset}`);
      expect(answer.status).toBe(200);
      expect(await answer.text()).not.toContain(TEST_API_TOKEN);
    }
    expect((await fetch(`${own.functions.url}/dashboard/index.html`)).headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('GET /sms/hours takes 1 to 24 hours, like the other bearer routes', async () => {
    const refused = await fetch(`${own.functions.url}/sms/hours?hours=25`, { headers: bearer });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('invalid_parameter');
    expect((await fetch(`${own.functions.url}/sms/hours`)).status).toBe(401);
    const { hours } = await apiJson<{ hours: unknown[] }>('/sms/hours?hours=3');
    expect(hours).toHaveLength(3);
  });

  it('shows a clear message for a refused token, keeps nothing and asks again', async () => {
    await openSignedIn('not-the-token');
    await page.getByRole('alert').filter({ hasText: 'That API token was refused (401 unauthorized)' }).waitFor();
    expect(await page.getByLabel('API token').isVisible()).toBe(true);
    expect(await page.locator('#panels').isVisible()).toBe(false);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    expect(page.url()).not.toContain('not-the-token');
  });

  it("shows the API's numbers after sends, failures, a message left at sent and a STOP", async () => {
    // Three messages reached sent two hours ago (a status callback's bookkeeping, at that time), one got its receipt:
    // past SILENT_FILTERING_MINUTES (60), two count as silently filtered.
    const stores = createStores(own.client, readSettings({}), Deadline.in(60_000));
    const twoHoursAgo = Math.floor((Date.now() - 2 * 3_600_000) / 3_600_000) * 3_600_000 + 60_000;
    const oldSids = ['SM' + 'a'.repeat(31) + '1', 'SM' + 'a'.repeat(31) + '2', 'SM' + 'a'.repeat(31) + '3'];
    for (const sid of oldSids)
      await recordStatusCountingOnce(stores, { sid, to: DELIVERED_TO[0], status: 'sent', resendable: true }, new Date(twoHoursAgo));
    await recordStatusCountingOnce(
      stores,
      { sid: oldSids[0], to: DELIVERED_TO[0], status: 'delivered', resendable: true },
      new Date(twoHoursAgo),
    );
    for (const to of [...DELIVERED_TO, ...FAILING_TO, SILENT_TO]) expect((await send(to)).status).toBe(200);
    const stop = await fetch(`${own.sandbox.url}/_sandbox/phone/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: STOPPING_PHONE, to: TEST_PHONE_NUMBER, body: 'STOP' }),
    });
    expect(stop.status).toBe(200);
    expect((await send(STOPPING_PHONE)).status).toBe(409); // refused by the gate: never counted
    const verify = await fetch(`${own.functions.url}/verify/start`, {
      method: 'POST',
      headers: { origin: TEST_ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ to: DELIVERED_TO[0], channel: 'sms' }),
    });
    expect(verify.status).toBe(200);
    const refusedVerify = await fetch(`${own.functions.url}/verify/start`, {
      method: 'POST',
      headers: { origin: TEST_ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'not a number', channel: 'sms' }),
    });
    expect(refusedVerify.status).toBe(400);
    await own.sandbox.settled();

    await openSignedIn();
    await waitLoaded();
    const hours = await apiJson<{
      hours: Array<Record<string, number | null>>;
      topErrors: Array<{ code: number; count: number; action: string }>;
    }>('/sms/hours?hours=12');
    const total = (outcome: string) => hours.hours.reduce((sum, hour) => sum + (hour[outcome] ?? 0), 0);
    // The funnel: 7 sent to Twilio now (+30008 fails from the queue), 3 two hours ago (1 delivered then).
    expect([total('queued'), total('sent'), total('delivered'), total('undelivered'), total('failed')]).toEqual([10, 9, 4, 2, 1]);
    expect([total('awaiting'), total('silent')]).toEqual([3, 2]);
    for (const step of ['queued', 'sent', 'delivered', 'undelivered', 'failed', 'awaiting', 'silent']) {
      expect(await page.locator(`#delivery [data-count="${step}"]`).textContent()).toBe(String(total(step)));
    }
    const stats = await apiJson<{ lastHour: { total: number }; silentFiltering: { awaiting: number } }>('/sms/stats');
    expect(stats.silentFiltering.awaiting).toBe(2);
    expect(await page.locator('#delivery p[data-silent]').getAttribute('data-silent')).toBe('2');
    expect(await page.locator('#delivery [data-last-hour]').getAttribute('data-last-hour')).toBe(String(stats.lastHour.total));
    expect(hours.topErrors.map((error) => [error.code, error.count]).sort()).toEqual([
      [30003, 1],
      [30006, 1],
      [30008, 1],
    ]);
    for (const error of hours.topErrors) {
      const row = page.locator(`#errors tr[data-code="${error.code}"]`);
      expect(await row.locator('td').first().textContent()).toBe(String(error.count));
      expect(await row.textContent()).toContain(error.action);
    }
    // The chart is drawn, and its numbers are also a table.
    expect(await page.locator('#delivery canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('#delivery table[aria-label="Delivery per hour"] tbody tr').count()).toBe(12);
    expect(await page.locator('#health [data-status]').getAttribute('data-status')).toBe('ok');
    const verifyStats = await apiJson<{ today: { sent: Record<string, number>; paid: Record<string, number> } }>('/verify/stats');
    expect(verifyStats.today.sent.sms).toBe(1);
    expect(await page.locator('#verify [data-group="Sent by channel"] dd[data-name="sms"]').textContent()).toBe('1');
    for (const [name, value] of Object.entries(verifyStats.today.paid)) {
      expect(await page.locator(`#verify [data-group="Paid calls"] dd[data-name="${name}"]`).textContent()).toBe(String(value));
    }
    // Verify per hour: the same numbers as /verify/stats's hours, in a chart and a table.
    type VerifyHour = {
      hour: string;
      sent: number;
      approved: number;
      refused: Record<string, number>;
      paid: Record<string, number>;
    };
    const { hours: verifyHours, today } = await apiJson<{ hours: VerifyHour[]; today: { refused: Record<string, number> } }>(
      '/verify/stats?hours=12',
    );
    const add = (record: Record<string, number>) => Object.values(record).reduce((total, value) => total + value, 0);
    expect(verifyHours).toHaveLength(12);
    expect(verifyHours.reduce((total, hour) => total + hour.sent, 0)).toBe(1);
    expect(verifyHours.reduce((total, hour) => total + add(hour.refused), 0)).toBe(add(today.refused));
    expect(add(today.refused)).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#verify canvas').count()).toBeGreaterThan(0);
    for (const hour of verifyHours) {
      const row = page.locator(`#verify tr[data-hour="${hour.hour}"]`);
      const cell = (name: string) => row.locator(`td[data-name="${name}"]`).textContent();
      expect([await cell('sent'), await cell('approved'), await cell('refused'), await cell('lookup'), await cell('verification')]).toEqual(
        [hour.sent, hour.approved, add(hour.refused), hour.paid.lookup, hour.paid.verification].map(String),
      );
    }
  });

  it('shows the consent counters of GET /consent?days=, and looks a number up with the keyboard', async () => {
    // The STOP above is one opt-out by keyword on SMS; one more opt-in and opt-out through the API, on WhatsApp and voice.
    const recorded = (body: Record<string, string>) => callApi(`${own.functions.url}/consent`, { method: 'POST', body });
    const change = { number: STOPPING_PHONE, purpose: 'marketing', source: 'web-form:signup', wording: 'I agree to marketing messages.' };
    expect((await recorded({ ...change, channel: 'whatsapp' })).status).toBe(201);
    expect((await recorded({ ...change, channel: 'voice', purpose: 'transactional', change: 'opt-out' })).status).toBe(201);
    await page.reload();
    await waitLoaded();
    type Counts = { total: number; channels: Record<string, number>; methods: Record<string, number> };
    const { days } = await apiJson<{ days: Array<{ day: string; optOut: Counts; optIn: Counts }> }>('/consent?days=14');
    expect(days).toHaveLength(14);
    const today = days[days.length - 1];
    expect([today.optOut.total, today.optIn.total]).toEqual([2, 1]);
    expect([today.optOut.methods.keyword, today.optOut.methods.api, today.optIn.methods.api]).toEqual([1, 1, 1]);
    const summary = page.locator('#consent p[data-opt-outs]');
    expect([await summary.getAttribute('data-opt-outs'), await summary.getAttribute('data-opt-ins')]).toEqual(['2', '1']);
    const cell = (table: string, row: string, changed: string) =>
      page.locator(`#consent table[aria-label="${table}"] tr[${row}] td[data-change="${changed}"]`).textContent();
    for (const [channel, key] of [
      ['sms', 'sms'],
      ['whatsapp', 'whatsapp'],
      ['voice', 'voice'],
    ]) {
      expect(await cell('Consent changes by channel', `data-channel="${channel}"`, 'opt-out')).toBe(String(today.optOut.channels[key]));
      expect(await cell('Consent changes by channel', `data-channel="${channel}"`, 'opt-in')).toBe(String(today.optIn.channels[key]));
    }
    for (const method of Object.keys(today.optOut.methods)) {
      expect(await cell('Consent changes by method', `data-method="${method}"`, 'opt-out')).toBe(String(today.optOut.methods[method]));
      expect(await cell('Consent changes by method', `data-method="${method}"`, 'opt-in')).toBe(String(today.optIn.methods[method]));
    }
    for (const day of days) {
      expect(await cell('Consent per day', `data-day="${day.day}"`, 'opt-out')).toBe(String(day.optOut.total));
      expect(await cell('Consent per day', `data-day="${day.day}"`, 'opt-in')).toBe(String(day.optIn.total));
    }
    expect(await page.locator('#consent canvas').count()).toBeGreaterThan(0);

    // The lookup, from the keyboard: GET /consent?number= shown per channel, with the history.
    const consent = await apiJson<{ channels: Record<string, { optedOut: boolean }>; history: unknown[] }>(
      `/consent?number=${encodeURIComponent(STOPPING_PHONE)}`,
    );
    await page.getByLabel('Look up a number').focus();
    await page.keyboard.type(STOPPING_PHONE);
    await page.keyboard.press('Enter');
    const result = page.locator(`#consent-result table[data-number="${STOPPING_PHONE}"]`);
    await result.waitFor();
    for (const [channel, state] of Object.entries(consent.channels)) {
      expect(await result.locator(`tr[data-channel="${channel}"] td[data-opted-out]`).getAttribute('data-opted-out')).toBe(
        String(state.optedOut),
      );
    }
    expect(consent.channels.sms.optedOut).toBe(true);
    expect(await page.locator('#consent-result ol li').count()).toBe(consent.history.length);
  });

  it('lists the newest campaigns with progress, ETA and STOP rate, as GET /campaigns/status answers', async () => {
    const post = async (path: string, body: unknown) =>
      (await callApi(`${own.functions.url}${path}`, { method: 'POST', body })).json as Record<string, unknown>;
    const recipients = ['+12065550131', '+12065550132', '+12065550133', '+12065550134'];
    const id = String((await post('/campaigns', { name: 'Spring update', body: 'Our spring update is out.' })).id);
    await post('/campaigns/recipients', { id, page: 0, recipients: recipients.map((to) => ({ to })) });
    for (let run = 0; run < 20 && !(await post('/campaigns/run', { id })).done; run++);
    await own.sandbox.settled();
    // One recipient answers STOP within 24 h of the campaign's message: a STOP against it.
    const stop = await fetch(`${own.sandbox.url}/_sandbox/phone/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: recipients[0], to: TEST_PHONE_NUMBER, body: 'STOP' }),
    });
    expect(stop.status).toBe(200);
    const idle = String((await post('/campaigns', { name: 'Not started', body: 'Soon.' })).id);
    await own.sandbox.settled();

    await page.reload();
    await waitLoaded();
    type Status = { id: string; progress: { sent: number; refused: number; failed: number; total: number }; stopsWithin24h: number };
    const { campaigns } = await apiJson<{ campaigns: Status[] }>('/campaigns/status?limit=5');
    expect(campaigns.map((campaign) => campaign.id)).toEqual([idle, id]);
    expect(campaigns[1].stopsWithin24h).toBe(1);
    expect(campaigns[1].progress.sent).toBe(4);
    const items = page.locator('#campaigns li[data-campaign]');
    const shown = await Promise.all(
      Array.from({ length: await items.count() }, (_, index) => items.nth(index).getAttribute('data-campaign')),
    );
    expect(shown).toEqual([idle, id]);
    for (const campaign of campaigns) {
      const item = page.locator(`#campaigns li[data-campaign="${campaign.id}"]`);
      const done = campaign.progress.sent + campaign.progress.refused + campaign.progress.failed;
      expect(await item.getAttribute('data-stops')).toBe(String(campaign.stopsWithin24h));
      expect(await item.locator('progress').getAttribute('value')).toBe(String(done));
      expect(await item.getByText(`${done} of ${campaign.progress.total} handled`).count()).toBe(1);
    }
    expect(await page.locator(`#campaigns li[data-campaign="${id}"]`).textContent()).toContain('STOP rate 25.0% (1 STOPs)');
    expect(await page.locator(`#campaigns li[data-campaign="${id}"]`).textContent()).toContain('ETA none left');
  });

  it('GET /voice/voicemail-audio answers one of our voicemails as audio/mpeg, and only ours, behind the bearer token', async () => {
    const walk = await callNumber(own.sandbox.url, {
      from: '+12025550111',
      to: TEST_PHONE_NUMBER,
      inputs: [{ digits: '2' }],
      recording: { durationSeconds: 3, transcription: 'Please call me back.' },
    });
    const [recording] = walk.recordings;
    await eventually(
      () => apiJson<{ voicemails: Array<{ recordingSid: string }> }>('/voice/voicemails'),
      (body) => body.voicemails.some((v) => v.recordingSid === recording.sid),
    );
    const audio = await fetch(`${own.functions.url}/voice/voicemail-audio?sid=${recording.sid}`, { headers: bearer });
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/mpeg');
    const bytes = Buffer.from(await audio.arrayBuffer());
    expect([bytes[0], bytes[1] & 0xe0]).toEqual([0xff, 0xe0]); // an MPEG audio frame's sync bits, intact
    expect(bytes.length).toBeGreaterThan(1000);

    expect((await fetch(`${own.functions.url}/voice/voicemail-audio?sid=${recording.sid}`)).status).toBe(401);
    const invalid = await fetch(`${own.functions.url}/voice/voicemail-audio?sid=nope`, { headers: bearer });
    expect([invalid.status, ((await invalid.json()) as { error: { code: string } }).error.code]).toEqual([400, 'invalid_sid']);
    const notOurs = await fetch(`${own.functions.url}/voice/voicemail-audio?sid=RE${'0'.repeat(32)}`, { headers: bearer });
    expect([notOurs.status, ((await notOurs.json()) as { error: { code: string } }).error.code]).toEqual([404, 'not_found']);

    // In the page: the player gets a playable audio/mpeg blob, never the token in a URL.
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.reload();
    await waitLoaded();
    const item = page.locator(`#voicemails li[data-recording="${recording.sid}"]`);
    await item.getByRole('button', { name: 'Play recording' }).click();
    const player = item.locator('audio');
    await player.waitFor();
    expect(await player.getAttribute('data-type')).toBe('audio/mpeg');
    expect(await player.getAttribute('src')).toMatch(/^blob:/);
    const duration = await page.evaluate<number>(`new Promise((resolve) => {
      const audio = document.querySelector('#voicemails li[data-recording="${recording.sid}"] audio');
      if (audio.readyState >= 1) resolve(audio.duration);
      else audio.addEventListener('loadedmetadata', () => resolve(audio.duration), { once: true });
    })`);
    expect(duration).toBeGreaterThan(0);
    expect(Number.isFinite(duration)).toBe(true);
    expect(requested.some((url) => url.includes(TEST_API_TOKEN))).toBe(false);

    // A token refused while the page is open (rotated, say): playing a recording asks to sign in again, like every read.
    await page.reload();
    await waitLoaded();
    await page.evaluate(`sessionStorage.setItem('twilio-comms.dashboard.token', 'a-rotated-token')`);
    await item.getByRole('button', { name: 'Play recording' }).click();
    await page.getByRole('alert').filter({ hasText: 'That API token was refused (401 unauthorized)' }).waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.getByLabel('API token').fill(TEST_API_TOKEN);
    await page.getByRole('button', { name: 'Open dashboard' }).click();
    await waitLoaded();
  });

  it('gives every control a name and can be used from the keyboard', async () => {
    const unnamed = await page.evaluate<string[]>(`[...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => (!el.labels || el.labels.length === 0) && !el.getAttribute('aria-label') && el.textContent.trim() === '')
      .map((el) => el.outerHTML)`);
    expect(unnamed).toEqual([]);
    await page.getByRole('button', { name: 'Forget token' }).focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('API token').waitFor();
    await page.keyboard.type(TEST_API_TOKEN);
    await page.keyboard.press('Enter');
    await waitLoaded();
  });

  it('costs the same Twilio and Sync requests with 100,000 messages recorded as with 100', async () => {
    const openCost = async (): Promise<string[]> => {
      await page.reload();
      await waitLoaded();
      const before = await lastRequestSeq(own.sandbox.url);
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /^Updated/ })
        .waitFor();
      // The refresh's own reads are over once every panel has redrawn: wait for the sandbox to be idle.
      await own.sandbox.settled();
      return countedAfter(before);
    };
    // Recorded five hours ago, inside the panels' 12 hours: what their status callbacks would have left in Sync.
    const hour = new Date(Date.now() - 5 * 3_600_000).toISOString().slice(0, 13);
    const delivered = async () => Number(await page.locator('#delivery [data-count="delivered"]').textContent());
    await seedDeliveredMessages(own.sandbox.url, own.client, { first: 0, count: 100, hour, total: 100 });
    const hundred = await openCost();
    const shownWithHundred = await delivered();
    await seedDeliveredMessages(own.sandbox.url, own.client, { first: 100, count: 99_900, hour, total: 100_000 });
    // Many voicemails too: the panel reads one bounded page of them.
    const stores = createStores(own.client, readSettings({}), Deadline.in(60_000));
    for (let index = 0; index < 40; index++) {
      const recordingSid = `RE${String(index).padStart(32, 'b')}`;
      await stores.voicemails.keep({
        recordingSid,
        callSid: `CA${'c'.repeat(32)}`,
        from: `+1202555${String(3000 + index)}`,
        receivedAt: new Date(Date.now() - index * 60_000).toISOString(),
        durationSeconds: 5,
        recordingUrl: `https://api.twilio.com/2010-04-01/Accounts/AC${'0'.repeat(32)}/Recordings/${recordingSid}`,
        transcription: { status: 'completed', text: 'Call me.' },
      });
    }
    await own.sandbox.settled();
    const hundredThousand = await openCost();
    // Sync holds a record of each (and a few of this file's own sends), the page shows them (99,900
    // more delivered), and opening it made the very same requests.
    const maps = (await (await fetch(`${own.sandbox.url}/_sandbox/sync/maps`)).json()) as Array<{ uniqueName: string; itemCount: number }>;
    const records = maps.filter((map) => /^messages-\d+$/.test(map.uniqueName)).reduce((sum, map) => sum + map.itemCount, 0);
    expect(records).toBeGreaterThanOrEqual(100_000);
    expect((await delivered()) - shownWithHundred).toBe(99_900);
    expect(hundredThousand.length).toBeGreaterThan(0);
    expect(hundredThousand).toEqual(hundred);
  });
});
