/**
 * The console in a real browser: Debian's Chromium driven by playwright-core (installed with apt by
 * scripts/chromium.ts when missing; nothing downloads a browser), against a sandbox and the local
 * Functions of this test's own.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { provisionFor } from '../../local/provision';
import { Reloader } from '../../scripts/dev';
import { TEST_PHONE_NUMBER } from '../support/stack';
import { startOwnStack, type OwnStack } from '../support/own-stack';
import { ConsolePage, launchChromium } from './console-page';

const PHONE = '+12025550111';
const OTHER_PHONE = '+14155550177';
const CALLING_PHONE = '+14155550188';
const LATE_PHONE = '+14155550199';
const AUTO_REPLY = 'Thanks! We got your message.';
const CONVERSATION_PHONE = '+12025550133';

jest.setTimeout(60_000);

let own: OwnStack;
let browser: Browser;
let page: Page;
let console_: ConsolePage;

beforeAll(async () => {
  // The first run on a fresh machine installs Chromium (apt-get): allow for it.
  browser = await launchChromium();
  own = await startOwnStack({ AUTO_REPLY });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  // A step that never shows fails on its own locator, inside the test's time (a loaded machine is slow).
  page.setDefaultTimeout(20_000);
  console_ = new ConsolePage(page);
  await console_.open(own.sandbox.consoleUrl);
  await console_.usePhone(PHONE);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await own?.close();
});

const sandboxPost = (path: string, body: unknown) =>
  fetch(`${own.sandbox.url}/_sandbox${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

interface SyncMapView {
  uniqueName: string;
  itemCount: number;
}
const syncMaps = async (): Promise<SyncMapView[]> => (await (await fetch(`${own.sandbox.url}/_sandbox/sync/maps`)).json()) as SyncMapView[];
/** The product's shards are `<name>-<n>`: the family a map belongs to. */
const familyOf = (name: string) => name.replace(/-\d+$/, '');

interface SandboxMessageView {
  from: string | null;
  to: string;
  body: string;
  status: string;
}
const sandboxMessages = async (phone: string): Promise<SandboxMessageView[]> =>
  (await (await fetch(`${own.sandbox.url}/_sandbox/messages?phone=${encodeURIComponent(phone)}`)).json()) as SandboxMessageView[];

const sandboxClock = async (): Promise<number> =>
  ((await (await fetch(`${own.sandbox.url}/_sandbox/clock`)).json()) as { now: number }).now;

describe('the sandbox console in Chromium', () => {
  it('gives every control a name (labels, keyboard-reachable buttons)', async () => {
    // Evaluated in the page (a string: this project's TypeScript has no DOM types).
    const unnamed = await page.evaluate<string[]>(`[...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => (!el.labels || el.labels.length === 0) && !el.getAttribute('aria-label') && el.textContent.trim() === '')
      .map((el) => el.outerHTML)`);
    expect(unnamed).toEqual([]);
  });

  it('lists a conversation as a thread and sends an agent reply from its box that reaches the SMS participant', async () => {
    const conversations = own.client.conversations.v1;
    const created = await conversations.conversations.create({ friendlyName: 'Order 1042' });
    await conversations
      .conversations(created.sid)
      .participants.create({ 'messagingBinding.address': CONVERSATION_PHONE, 'messagingBinding.proxyAddress': TEST_PHONE_NUMBER });
    await conversations.conversations(created.sid).participants.create({ identity: 'agent-ana' });

    // Listed live (the event stream's conversations topic), with its participants' channels in words.
    const section = page.getByRole('region', { name: /^Conversations/ });
    const choice = section.getByRole('button', { name: /^Order 1042/ });
    await choice
      .filter({ hasText: `SMS: ${CONVERSATION_PHONE}` })
      .filter({ hasText: 'Chat: agent-ana' })
      .waitFor();
    expect(await choice.textContent()).toContain('active');
    await choice.press('Enter');
    expect(await choice.getAttribute('aria-pressed')).toBe('true');

    // The default identity ("agent") is not a participant: the box says so, nothing is sent.
    const reply = section.getByLabel('Reply', { exact: true });
    await reply.fill('Your order has shipped');
    await reply.press('Control+Enter');
    await section.getByRole('status').filter({ hasText: 'Not sent (404): agent is not a chat participant' }).waitFor();
    expect(await sandboxMessages(CONVERSATION_PHONE)).toEqual([]);

    // A pre-action onMessageAdd webhook that answers 403 refuses it: said so, nothing sent.
    const refuser = createServer((_req, res) => res.writeHead(403).end());
    await new Promise<void>((resolve) => refuser.listen(0, '127.0.0.1', resolve));
    const hooks = conversations.services(created.chatServiceSid).configuration.webhooks();
    try {
      await hooks.update({ preWebhookUrl: `http://127.0.0.1:${(refuser.address() as AddressInfo).port}/pre`, filters: ['onMessageAdd'] });
      await section.getByLabel(/^Agent identity/).fill('agent-ana');
      await section.getByRole('button', { name: 'Send reply' }).click();
      await section
        .getByRole('status')
        .filter({ hasText: 'Rejected (403): the onMessageAdd pre-action webhook rejected the message' })
        .waitFor();
      expect(await sandboxMessages(CONVERSATION_PHONE)).toEqual([]);
    } finally {
      await hooks.update({ preWebhookUrl: '', filters: [] });
      await new Promise((resolve) => refuser.close(resolve));
    }

    await section.getByRole('button', { name: 'Send reply' }).click();
    await section.getByRole('status').filter({ hasText: 'Sent as agent-ana' }).waitFor();
    expect(await reply.inputValue()).toBe('');

    // In the thread, with its author and its delivery to the SMS participant in words.
    const thread = section.getByRole('list', { name: /^Order 1042/ });
    const message = thread.getByRole('listitem').filter({ hasText: 'Your order has shipped' });
    await message.filter({ hasText: 'agent-ana' }).waitFor();
    await message
      .locator('[data-status="delivered"]')
      .filter({ hasText: `delivered to ${CONVERSATION_PHONE} (SMS)` })
      .waitFor();
    // And on the phone: the sandbox's message list.
    expect(await sandboxMessages(CONVERSATION_PHONE)).toEqual([
      expect.objectContaining({ from: TEST_PHONE_NUMBER, to: CONVERSATION_PHONE, body: 'Your order has shipped' }),
    ]);
  });

  it('sends a message from the phone pane and shows the reply in the thread, with its status', async () => {
    await console_.text('Hi there');
    const thread = console_.thread();
    await thread.getByText('Hi there').waitFor();
    const reply = thread.getByRole('listitem').filter({ hasText: AUTO_REPLY });
    await reply.locator('[data-status="delivered"]').waitFor();
    expect(await reply.textContent()).toContain('Our reply');
    // Screen readers hear the reply once, from a polite live region (the thread itself is redrawn).
    await page
      .getByRole('status')
      .filter({ hasText: `Our number: ${AUTO_REPLY}` })
      .waitFor();
  });

  it('texts STOP and shows it as the opt-out keyword, and the opt-out itself', async () => {
    await console_.keyword('STOP');
    await console_.thread().locator('[data-keyword="STOP"]').waitFor();
    await page.getByText(/Opted out \(SMS\)/).waitFor();
    await page.locator('#optouts-count').filter({ hasText: '(1)' }).waitFor();
  });

  it('calls our number, presses 2, leaves a voicemail and sees it with its transcription', async () => {
    await console_.callOurNumber();
    const call = console_.liveCall();
    await call.getByText('Thanks for calling Acme.').waitFor();
    await console_.pressKey('2');
    await call.locator('[data-prompt="record"]').waitFor();
    await console_.leaveVoicemail(9, 'Please call me back about my order');
    const voicemail = page.locator('#call-list [data-recording]');
    await voicemail.filter({ hasText: 'Voicemail 9 s' }).filter({ hasText: 'Please call me back about my order' }).waitFor();
    // The product kept it in Sync, which the inspector shows live.
    await page
      .locator('#sync')
      .getByText(/Please call me back about my order/)
      .first()
      .waitFor();
  });

  it('shows npm run dev’s reloads (and failed builds) as they happen', async () => {
    let fail = false;
    const reloader = new Reloader({
      build: () => (fail ? Promise.reject(new Error('src/lib/index.ts: Unexpected "}"')) : Promise.resolve()),
      reload: () => Promise.resolve(),
      notify: (notice) => own.sandbox.notify(notice),
      debounceMs: 5,
    });
    reloader.changed('src/lib/sms/keywords.ts');
    await page
      .getByRole('status')
      .getByText(/Functions rebuilt and reloaded in \d+ ms \(changed: src\/lib\/sms\/keywords\.ts\)/)
      .waitFor();
    fail = true;
    reloader.changed('src/lib/index.ts');
    await page.getByText(/Build failed after a change to src\/lib\/index\.ts; the previous Functions keep running/).waitFor();
    await reloader.idle();
  });

  it('advances the sandbox clock from the header', async () => {
    const before = await sandboxClock();
    const shown = await page.locator('#clock').textContent();
    await console_.advanceClock(2, 'hours');
    await page
      .locator('#clock')
      .filter({ hasNotText: shown ?? '' })
      .waitFor();
    expect((await sandboxClock()) - before).toBeGreaterThanOrEqual(2 * 3600 * 1000);
    await page.getByText('Clock advanced by 2 hours.').waitFor();
  });

  it('lists every phone that talked to our numbers, and choosing one shows its messages only', async () => {
    await sandboxPost('/phone/sms', { from: OTHER_PHONE, to: TEST_PHONE_NUMBER, body: 'Hello from another phone' });
    await sandboxPost('/phone/call', { from: CALLING_PHONE, to: TEST_PHONE_NUMBER });
    const phones = page.getByRole('list', { name: /^Phones that talked to our numbers/ });
    await phones.getByRole('button', { name: new RegExp(`^\\${OTHER_PHONE}.*messages?`) }).waitFor();
    await phones.getByRole('button', { name: new RegExp(`^\\${CALLING_PHONE}.*1 call`) }).waitFor();
    expect(await phones.getByRole('button', { name: new RegExp(`^\\${PHONE}`) }).getAttribute('aria-pressed')).toBe('true');

    // By keyboard: focus the other phone's entry; a live redraw (another phone texts) keeps the focus; Enter chooses it.
    await phones.getByRole('button', { name: new RegExp(`^\\${OTHER_PHONE}`) }).focus();
    await sandboxPost('/phone/sms', { from: LATE_PHONE, to: TEST_PHONE_NUMBER, body: 'Late to the list' });
    await phones.getByRole('button', { name: new RegExp(`^\\${LATE_PHONE}`) }).waitFor();
    await page.keyboard.press('Enter');
    expect(await page.getByLabel('Your phone').inputValue()).toBe(OTHER_PHONE);
    await console_.thread().getByText('Hello from another phone').waitFor();
    await console_.thread().getByText('Hi there').waitFor({ state: 'detached' });
    expect(await phones.getByRole('button', { name: new RegExp(`^\\${OTHER_PHONE}`) }).getAttribute('aria-pressed')).toBe('true');

    // The calling phone's call is in the calls pane once it is chosen.
    await phones.getByRole('button', { name: new RegExp(`^\\${CALLING_PHONE}`) }).click();
    await page.locator('#call-list').getByText(`${CALLING_PHONE} → ${TEST_PHONE_NUMBER}`).waitFor();
  });

  it('folds the empty Sync maps into one count and shows a sharded family as one entry with its total', async () => {
    // Every map the product uses, as npm start makes them (most stay empty).
    await provisionFor(own.client, { SYNC_SERVICE_SID: 'default' });
    const maps = await syncMaps();
    const totals = new Map<string, { maps: number; items: number }>();
    for (const map of maps) {
      const family = totals.get(familyOf(map.uniqueName)) ?? { maps: 0, items: 0 };
      totals.set(familyOf(map.uniqueName), { maps: family.maps + 1, items: family.items + map.itemCount });
    }
    const emptyMaps = [...totals.values()].filter((family) => family.items === 0).reduce((sum, family) => sum + family.maps, 0);
    expect(emptyMaps).toBeGreaterThan(100);

    const sync = page.locator('#sync');
    await page
      .locator('#sync-count')
      .filter({ hasText: `(${maps.length} maps,` })
      .waitFor();
    const emptyFold = sync.locator('[data-fold="empty"]');
    await emptyFold
      .locator('summary')
      .filter({ hasText: `Empty maps (${emptyMaps})` })
      .waitFor();
    // Folded: a count, and the names only once it is opened (by keyboard).
    const emptyFamily = emptyFold.getByText('campaign-claims (32 shards)');
    expect(await emptyFamily.isVisible()).toBe(false);
    await emptyFold.locator('summary').press('Enter');
    await emptyFamily.waitFor();

    // The opt-out (STOP, earlier) lives in one of the optouts shards: one entry for the family, with its total.
    const optouts = totals.get('optouts');
    expect(optouts).toMatchObject({ maps: 16, items: 1 });
    const family = sync.locator('[data-fold="family:optouts"]');
    await family.locator('summary').filter({ hasText: 'optouts — 16 shards, 1 item' }).waitFor();
    expect(
      await sync
        .locator('caption')
        .filter({ hasText: /^optouts-\d+ — 0 items/ })
        .count(),
    ).toBe(0);
    await family.locator('summary').press('Enter');
    await family
      .locator('caption')
      .filter({ hasText: /^optouts-\d+ — 1 item/ })
      .waitFor();

    // A live redraw (the text lands in the inbox's Sync shards) keeps what the person opened.
    await sandboxPost('/phone/sms', { from: CALLING_PHONE, to: TEST_PHONE_NUMBER, body: 'One more' });
    await console_.thread().getByText('One more').waitFor();
    expect(await emptyFamily.isVisible()).toBe(true);
  });
});
