// What a phone receives when Twilio answers keywords (OPT_OUT_REPLIES=twilio, the default): Twilio's
// automatic replies, none of ours; and a Messaging Service's Advanced Opt-Out keyword (ARRET),
// which Twilio posts with OptOutType=STOP, opts the person out in our consent store too. On WhatsApp,
// Twilio's keyword handling applies only through Advanced Opt-Out: then Twilio opts the user out
// (21610) and we do not try to confirm.
import { HELP_REPLY } from '../../../sandbox/messaging/opt-outs';
import { control } from '../../sandbox/helpers';
import { callApi } from '../../support/http';
import { match } from '../../support/match';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { TEST_PHONE_NUMBER } from '../../support/stack';

const FRENCH_REPLY = 'Owl Shop : vous êtes désabonné. Répondez START pour vous réabonner.';
let own: OwnStack;
let users = 0;
const newUser = (): string => `+1312555${String(100 + (users += 1)).padStart(4, '0')}`;

beforeAll(async () => {
  own = await startOwnStack({ ALLOWED_COUNTRIES: 'US' });
  await control(own.sandbox, 'POST', '/messaging/advanced-opt-out', {
    serviceSid: own.sandbox.messagingServiceSid,
    optOut: { keywords: ['ARRET'], reply: FRENCH_REPLY },
  });
});
afterAll(() => own.close());

interface PhoneAnswer {
  webhook: { status: number | null };
  replies: Array<{ body: string }>;
  optOut?: { type: string; confirmation: string | null };
}
const text = async (from: string, body: string) =>
  (await control<PhoneAnswer>(own.sandbox, 'POST', '/phone/sms', { from, to: TEST_PHONE_NUMBER, body })).body;
const smsConsent = async (number: string) =>
  (
    (await callApi(`${own.functions.url}/consent?number=${encodeURIComponent(number)}`)).json as {
      channels: { sms: { optedOut: boolean; source?: string } };
    }
  ).channels.sms;
const send = async (to: string) =>
  (await callApi(`${own.functions.url}/sms/send`, { method: 'POST', body: { to, body: 'Your order has shipped.' } })).json as {
    error?: { code: string };
  };

describe('keywords Twilio answers, through the sandbox phone and the Functions server', () => {
  it('HELP: the phone receives Twilio’s help reply and nothing from us', async () => {
    const answer = await text(newUser(), 'HELP');
    expect(answer.webhook.status).toBe(200);
    expect(answer.optOut).toMatchObject({ type: 'HELP', confirmation: HELP_REPLY });
    expect(answer.replies).toEqual([]);
  });

  it('STOP: the opt-out group’s reply (Advanced Opt-Out replaced it), none of ours, and the consent store has the opt-out', async () => {
    const user = newUser();
    const answer = await text(user, 'STOP');
    expect(answer.optOut).toMatchObject({ type: 'STOP', confirmation: FRENCH_REPLY });
    expect(answer.replies).toEqual([]);
    expect(await smsConsent(user)).toMatchObject({ optedOut: true, source: 'keyword' });
  });

  it('ARRET, an Advanced Opt-Out keyword, arrives with OptOutType=STOP: opted out here too, and our next send is refused', async () => {
    const user = newUser();
    const answer = await text(user, 'ARRET');
    expect(answer.optOut).toMatchObject({ type: 'STOP', confirmation: FRENCH_REPLY });
    expect(answer.replies).toEqual([]);
    expect(await smsConsent(user)).toEqual(match.objectContaining({ optedOut: true, source: 'keyword' }));
    expect(await send(user)).toMatchObject({ error: { code: 'opted_out' } });
  });

  it('a WhatsApp STOP to a sender in the service: OptOutType=STOP, opted out here, no confirmation tried (Twilio refuses it with 21610), /whatsapp/send 409', async () => {
    const user = newUser();
    const answer = (await control<PhoneAnswer>(own.sandbox, 'POST', '/phone/whatsapp', { from: user, to: TEST_PHONE_NUMBER, body: 'STOP' }))
      .body;
    expect(answer.optOut).toMatchObject({ type: 'STOP', confirmation: null });
    expect(answer.webhook.status).toBe(200);
    expect(answer.replies).toEqual([]);
    const consent = (await callApi(`${own.functions.url}/consent?number=${encodeURIComponent(user)}`)).json as {
      channels: { whatsapp: { optedOut: boolean; source?: string } };
    };
    expect(consent.channels.whatsapp).toMatchObject({ optedOut: true, source: 'keyword' });
    const refused = await callApi(`${own.functions.url}/whatsapp/send`, { method: 'POST', body: { to: user, body: 'Soldes' } });
    expect(refused).toMatchObject({ status: 409, json: { error: { code: 'opted_out' } } });
    expect(await own.client.messages.list({ to: `whatsapp:${user}` })).toEqual([]);
  });
});
