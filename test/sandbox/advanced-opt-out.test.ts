// Twilio's own keyword handling as the sandbox phone sees it: the automatic replies to STOP, START
// and HELP on a long code, the carrier's replies on a toll-free number, and a Messaging Service's
// Advanced Opt-Out (its own keywords and replies, and OptOutType on the inbound webhook).
import { HELP_REPLY } from '../../sandbox/messaging/opt-outs';
import { CUSTOMER, OWNED_NUMBER, control, startReceiver, startTestSandbox, type Receiver, type TestSandbox } from './helpers';

const TOLL_FREE = '+18005550100';
/** In a Messaging Service with Advanced Opt-Out. */
const FRENCH_NUMBER = '+14155550143';
const DEFAULT_SERVICE = `MG${'1'.repeat(32)}`;
const FRENCH_SERVICE = `MG${'2'.repeat(32)}`;

interface PhoneAnswer {
  optOut?: { type: string; keyword: string; confirmation: string | null; advanced?: true };
}

let env: TestSandbox;
let app: Receiver;
let users = 0;
const newUser = (): string => `+1303555${String(100 + (users += 1)).padStart(4, '0')}`;

beforeAll(async () => {
  env = await startTestSandbox({
    phoneNumbers: [OWNED_NUMBER, TOLL_FREE, FRENCH_NUMBER],
    messagingServices: [
      { sid: DEFAULT_SERVICE, friendlyName: 'Notifications', senders: [OWNED_NUMBER, TOLL_FREE] },
      { sid: FRENCH_SERVICE, friendlyName: 'Québec', senders: [FRENCH_NUMBER] },
    ],
  });
  app = await startReceiver();
  for (const number of await env.client.incomingPhoneNumbers.list())
    await env.client.incomingPhoneNumbers(number.sid).update({ smsUrl: `${app.url}/sms` });
  const configured = await control(env.sandbox, 'POST', '/messaging/advanced-opt-out', {
    serviceSid: FRENCH_SERVICE,
    optOut: { keywords: ['ARRET', 'ARRÊT'], reply: 'Vous êtes désabonné. Répondez START pour vous réabonner.' },
    help: { keywords: ['AIDE'], reply: 'Owl Shop : aide au 1-800-555-0100. Répondez ARRET pour vous désabonner.' },
  });
  expect(configured.status).toBe(200);
});
afterAll(async () => {
  await env.sandbox.close();
  await app.close();
});

const text = async (from: string, to: string, body: string) =>
  (await control<PhoneAnswer>(env.sandbox, 'POST', '/phone/sms', { from, to, body })).body;
const lastWebhook = () => app.requests[app.requests.length - 1].params;

describe("Twilio's automatic replies on a long code", () => {
  it('HELP and INFO get the default help reply; the webhook still gets the message, with no OptOutType', async () => {
    expect((await text(newUser(), OWNED_NUMBER, 'help')).optOut).toEqual({
      type: 'HELP',
      keyword: 'HELP',
      senders: [DEFAULT_SERVICE],
      confirmation: HELP_REPLY,
    });
    expect(lastWebhook()).toMatchObject({ Body: 'help' });
    expect(lastWebhook()).not.toHaveProperty('OptOutType');
    expect((await text(newUser(), OWNED_NUMBER, 'INFO')).optOut?.confirmation).toBe(HELP_REPLY);
  });

  it('STOP gets the unsubscribed confirmation, START the re-subscribed one', async () => {
    const user = newUser();
    expect((await text(user, OWNED_NUMBER, 'STOP')).optOut?.confirmation).toMatch(/^You have successfully been unsubscribed/);
    expect((await text(user, OWNED_NUMBER, 'START')).optOut?.confirmation).toMatch(/^You have successfully been re-subscribed/);
  });
});

describe('the carrier’s replies on a toll-free number', () => {
  it('STOP and UNSTOP get the NETWORK MSG replies; HELP while opted out gets none, after UNSTOP the help reply', async () => {
    const user = newUser();
    expect((await text(user, TOLL_FREE, 'stop')).optOut?.confirmation).toBe(
      'NETWORK MSG: You replied with the word "stop" which blocks all texts sent from this number. Text back "unstop" to receive messages again.',
    );
    expect((await text(user, TOLL_FREE, 'HELP')).optOut?.confirmation).toBeNull();
    expect((await text(user, TOLL_FREE, 'unstop')).optOut?.confirmation).toBe(
      'NETWORK MSG: You have replied "Unstop" and will begin receiving messages again from this number.',
    );
    expect((await text(user, TOLL_FREE, 'HELP')).optOut?.confirmation).toBe(HELP_REPLY);
  });
});

describe("a Messaging Service's Advanced Opt-Out", () => {
  it('a custom opt-out keyword opts out of the service, gets its own reply, and reaches the webhook with OptOutType=STOP', async () => {
    const user = newUser();
    expect((await text(user, FRENCH_NUMBER, 'Arrêt')).optOut).toEqual({
      type: 'STOP',
      keyword: 'ARRÊT',
      senders: [FRENCH_SERVICE],
      confirmation: 'Vous êtes désabonné. Répondez START pour vous réabonner.',
      advanced: true,
    });
    expect(lastWebhook()).toMatchObject({ Body: 'Arrêt', OptOutType: 'STOP' });
    const sent = await env.client.messages
      .create({ from: FRENCH_NUMBER, to: user, body: 'Soldes' })
      .catch((error: { code: number }) => error);
    expect(sent).toMatchObject({ code: 21610 });
  });

  it('its custom help keyword gets its help reply (OptOutType=HELP); the defaults still work, with OptOutType', async () => {
    expect((await text(newUser(), FRENCH_NUMBER, 'AIDE')).optOut?.confirmation).toMatch(/^Owl Shop : aide/);
    expect(lastWebhook()).toMatchObject({ OptOutType: 'HELP' });
    expect((await text(newUser(), FRENCH_NUMBER, 'START')).optOut?.confirmation).toMatch(/^You have successfully been re-subscribed/);
    expect(lastWebhook()).toMatchObject({ OptOutType: 'START' });
    // The other service keeps Twilio's defaults: ARRET is a plain message there.
    expect((await text(CUSTOMER, OWNED_NUMBER, 'ARRET')).optOut).toBeUndefined();
  });

  it('reaches the service’s WhatsApp senders: a WhatsApp STOP blocks WhatsApp (21610), not SMS, with no automatic reply', async () => {
    const user = newUser();
    const stop = (await control<PhoneAnswer>(env.sandbox, 'POST', '/phone/whatsapp', { from: user, to: FRENCH_NUMBER, body: 'STOP' })).body;
    expect(stop.optOut).toMatchObject({ type: 'STOP', senders: [FRENCH_SERVICE], confirmation: null, advanced: true });
    expect(lastWebhook()).toMatchObject({ Body: 'STOP', From: `whatsapp:${user}`, OptOutType: 'STOP' });
    const whatsApp = await env.client.messages
      .create({ from: `whatsapp:${FRENCH_NUMBER}`, to: `whatsapp:${user}`, body: 'Soldes' })
      .catch((error: { code: number }) => error);
    expect(whatsApp).toMatchObject({ code: 21610 });
    expect(await env.client.messages.create({ from: FRENCH_NUMBER, to: user, body: 'Soldes' })).toMatchObject({ status: 'queued' });
  });

  it('the control plane refuses what is not a keyword group', async () => {
    const refused = await control(env.sandbox, 'POST', '/messaging/advanced-opt-out', {
      serviceSid: FRENCH_SERVICE,
      optOut: { keywords: ['TWO WORDS'] },
    });
    expect(refused.status).toBe(400);
    expect((await control(env.sandbox, 'POST', '/messaging/advanced-opt-out', { serviceSid: `MG${'9'.repeat(32)}` })).status).toBe(404);
  });
});
