// npm run screenshots: the sandbox console in Debian's Chromium (playwright-core), after a short
// tour (a text from the product, a text from the phone and the auto-reply, a Verify code, a call to
// the IVR that leaves a voicemail, a conversation with an agent's reply, STOP), saved as PNGs for README.md and docs/sandbox-and-console.md: docs/console*.png;
// then the operator dashboard after that tour, two failed deliveries, a small campaign and an opt-in: docs/dashboard.png.
// Runs its own sandbox and Functions on free ports (npm start may keep running). `--out <dir>`.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startSandbox } from '../sandbox';
import { bindNumber, bindSandboxWhatsApp } from '../local/bind';
import { flag } from '../local/cli-args';
import { ENV_EXAMPLE_FILE, newApiToken, readEnvFile } from '../local/env-file';
import { startLocalFunctions } from '../local/functions-server';
import { ROOT_DIR } from '../local/layout';
import { provisionFor } from '../local/provision';
import { createTwilioClient } from '../src/lib/twilio/client';
import { ConsolePage, launchChromium } from '../test/console/console-page';

const PHONE = '+12025550123';
const CONVERSATION_PHONE = '+12025550124';
const PAGE_ORIGIN = 'https://app.example';

async function main(): Promise<void> {
  const outDir = path.resolve(ROOT_DIR, flag(process.argv, 'out') ?? 'docs');
  mkdirSync(outDir, { recursive: true });

  // The configuration a new user gets (.env.example), with a sandbox of this script's own.
  const env = readEnvFile(ENV_EXAMPLE_FILE);
  const sandbox = await startSandbox({ accountSid: env.ACCOUNT_SID, authToken: env.AUTH_TOKEN, phoneNumbers: [env.TWILIO_PHONE_NUMBER] });
  Object.assign(env, {
    TWILIO_SANDBOX_URL: sandbox.url,
    API_TOKEN: newApiToken(),
    VERIFY_SERVICE_SID: sandbox.verifyServiceSid,
    AUTO_REPLY: 'Thanks for your message! We will get back to you shortly.',
    ALLOWED_ORIGINS: PAGE_ORIGIN,
  });
  const functions = await startLocalFunctions({ port: 0, env });
  const client = createTwilioClient({ accountSid: env.ACCOUNT_SID, authToken: env.AUTH_TOKEN, sandboxUrl: sandbox.url });
  await bindNumber(client, env.TWILIO_PHONE_NUMBER, functions.url);
  await bindSandboxWhatsApp(sandbox.url, env.TWILIO_PHONE_NUMBER, functions.url);
  // Every Sync map, as npm start makes them: the inspector folds the empty ones and groups the shards.
  await provisionFor(client, env);
  const product = async (route: string, body: unknown, headers: Record<string, string>): Promise<void> => {
    const answer = await fetch(`${functions.url}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    if (!answer.ok) throw new Error(`${route}: ${answer.status} ${await answer.text()}`);
  };

  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
    page.setDefaultTimeout(15_000);
    const console_ = new ConsolePage(page);
    await console_.open(sandbox.consoleUrl);
    await console_.usePhone(PHONE);

    await product(
      '/sms/send',
      { to: PHONE, body: 'Your order A-1042 has shipped and arrives tomorrow.' },
      { authorization: `Bearer ${env.API_TOKEN}` },
    );
    await console_.thread().locator('[data-status="delivered"]').first().waitFor();
    await console_.advanceClock(1, 'hours');
    await page.getByText('Clock advanced by 1 hour.').waitFor();
    await console_.text('Great, can I change the delivery address?');
    await console_.thread().getByText(env.AUTO_REPLY).waitFor();
    await product('/verify/start', { to: PHONE, channel: 'sms' }, { origin: PAGE_ORIGIN });
    await console_
      .thread()
      .getByText(/verification code is/)
      .waitFor();

    await console_.callOurNumber();
    await console_.liveCall().locator('[data-prompt="gather"]').waitFor();
    await page.locator('#calls').screenshot({ path: path.join(outDir, 'console-calls.png') });
    await console_.pressKey('2');
    await console_.liveCall().locator('[data-prompt="record"]').waitFor();
    await console_.leaveVoicemail(14, 'Hi, this is Ada about order A-1042, please call me back.');
    await page.locator('#call-list [data-recording]').first().waitFor();

    // A conversation: a customer texting by SMS and an agent in the browser, who replies from the box.
    const conversation = await client.conversations.v1.conversations.create({ friendlyName: 'Order A-1042' });
    await client.conversations.v1
      .conversations(conversation.sid)
      .participants.create({ 'messagingBinding.address': CONVERSATION_PHONE, 'messagingBinding.proxyAddress': env.TWILIO_PHONE_NUMBER });
    await client.conversations.v1.conversations(conversation.sid).participants.create({ identity: 'agent' });
    await fetch(`${sandbox.url}/_sandbox/phone/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: CONVERSATION_PHONE, to: env.TWILIO_PHONE_NUMBER, body: 'Hi, where is my parcel?' }),
    });
    const conversations = page.locator('#conversations');
    await conversations.getByRole('button', { name: /^Order A-1042/ }).click();
    await conversations.getByText('Hi, where is my parcel?', { exact: true }).waitFor();
    await conversations.getByLabel('Reply', { exact: true }).fill('It left our warehouse this morning and arrives tomorrow.');
    await conversations.getByRole('button', { name: 'Send reply' }).click();
    await conversations.locator('[data-status="delivered"]').first().waitFor();

    await console_.keyword('STOP');
    await page.getByText(/Opted out \(SMS\)/).waitFor();
    await page.waitForTimeout(300); // the last refresh of the live view

    await page.locator('#phone').screenshot({ path: path.join(outDir, 'console-phone.png') });
    await page.locator('#inspector').screenshot({ path: path.join(outDir, 'console-inspector.png') });
    await page.locator('#conversations').screenshot({ path: path.join(outDir, 'console-conversations.png') });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: path.join(outDir, 'console.png'), fullPage: false });

    // The operator dashboard, after two deliveries that fail (the sandbox's magic numbers).
    for (const to of ['+15005550010', '+15005550012']) {
      await product('/sms/send', { to, body: 'Your order has shipped.' }, { authorization: `Bearer ${env.API_TOKEN}` });
    }
    // A small campaign run to its end, and a marketing opt-in recorded through the API: the Campaigns and Consent panels.
    const bearer = { authorization: `Bearer ${env.API_TOKEN}` };
    const created = await fetch(`${functions.url}/campaigns`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer },
      body: JSON.stringify({ name: 'Spring update', body: 'Hi {{name}}, our spring update is out.' }),
    });
    const { id } = (await created.json()) as { id: string };
    const names = ['Ada', 'Grace', 'Alan'];
    const recipients = names.map((name, index) => ({ to: `+1206555010${index}`, name }));
    await product('/campaigns/recipients', { id, page: 0, recipients }, bearer);
    await product('/campaigns/run', { id }, bearer);
    await product(
      '/consent',
      { number: PHONE, channel: 'whatsapp', purpose: 'marketing', source: 'web-form:signup', wording: 'I agree to marketing messages.' },
      bearer,
    );
    await sandbox.settled();
    const dashboard = await browser.newPage({ viewport: { width: 1440, height: 1100 }, deviceScaleFactor: 1 });
    dashboard.setDefaultTimeout(15_000);
    await dashboard.goto(`${functions.url}/dashboard`);
    await dashboard.getByLabel('API token').fill(env.API_TOKEN);
    await dashboard.getByRole('button', { name: 'Open dashboard' }).click();
    await dashboard
      .getByRole('status')
      .filter({ hasText: /^Updated/ })
      .waitFor();
    await dashboard.screenshot({ path: path.join(outDir, 'dashboard.png'), fullPage: true });

    console.log(
      `wrote ${['console.png', 'console-phone.png', 'console-calls.png', 'console-inspector.png', 'console-conversations.png', 'dashboard.png'].map((f) => path.relative(ROOT_DIR, path.join(outDir, f))).join(', ')}`,
    );
  } finally {
    await browser.close();
    await sandbox.settled().catch(() => undefined);
    await functions.close();
    await sandbox.close();
  }
}

main().catch((error: unknown) => {
  console.error(`npm run screenshots failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
