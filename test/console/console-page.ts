import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from '../../scripts/chromium';

/** Debian's Chromium, headless, driven by playwright-core (which never downloads a browser). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
}

/**
 * The console, as a person uses it: by labels and button names (so the test also checks that
 * every control has an accessible name). Each action waits for the sandbox's answer to show.
 */
export class ConsolePage {
  constructor(readonly page: Page) {}

  /** Opens the console and waits until its live stream is connected. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  }

  async usePhone(number: string): Promise<void> {
    const input = this.page.getByLabel('Your phone');
    await input.fill(number);
    await input.press('Tab');
  }

  async channel(name: 'SMS' | 'WhatsApp'): Promise<void> {
    await this.page.getByRole('radio', { name }).check();
  }

  thread() {
    return this.page.getByRole('list', { name: 'Conversation with our number' });
  }

  /** Sends a text from the phone; resolves when the sandbox has delivered it to our webhook. */
  async text(body: string, mediaUrl?: string): Promise<void> {
    await this.page.getByLabel('Message to our number').fill(body);
    if (mediaUrl) await this.page.getByLabel('Media URL (optional)').fill(mediaUrl);
    const result = this.page.locator('#compose-result');
    await this.page.getByRole('button', { name: 'Send', exact: true }).click();
    await result.filter({ hasText: /Delivered to our webhook|Error|refused/ }).waitFor();
  }

  async keyword(word: 'STOP' | 'START' | 'HELP'): Promise<void> {
    await this.page.getByRole('button', { name: word, exact: true }).click();
    await this.page
      .locator('#compose-result')
      .filter({ hasText: `${word} applied` })
      .or(this.page.locator('#compose-result').filter({ hasText: 'Delivered' }))
      .waitFor();
  }

  liveCall() {
    return this.page.locator('#live-calls article');
  }

  async callOurNumber(): Promise<void> {
    await this.page.getByRole('button', { name: 'Call our number' }).click();
    await this.liveCall().first().waitFor();
  }

  async pressKey(key: string): Promise<void> {
    await this.liveCall()
      .getByRole('button', { name: `Key ${key}` })
      .click();
  }

  async leaveVoicemail(seconds: number, transcription: string): Promise<void> {
    const call = this.liveCall();
    await call.getByLabel('Length (s)').fill(String(seconds));
    await call.getByLabel('Transcription').fill(transcription);
    await call.getByRole('button', { name: 'Leave voicemail' }).click();
  }

  async advanceClock(amount: number, unit: 'minutes' | 'hours' | 'days'): Promise<void> {
    await this.page.getByLabel('Advance by').fill(String(amount));
    await this.page.getByLabel('Unit').selectOption({ label: unit });
    await this.page.getByRole('button', { name: 'Advance clock' }).click();
  }
}
