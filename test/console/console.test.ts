/**
 * The console in a real browser: Debian's Chromium driven by playwright-core (installed with apt by
 * scripts/chromium.ts when missing; nothing downloads a browser), against a sandbox and the local
 * Functions of this test's own.
 */
import type { Browser, Page } from 'playwright-core';
import { Reloader } from '../../scripts/dev';
import { startOwnStack, type OwnStack } from '../support/own-stack';
import { ConsolePage, launchChromium } from './console-page';

const PHONE = '+12025550111';
const AUTO_REPLY = 'Thanks! We got your message.';

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
});
