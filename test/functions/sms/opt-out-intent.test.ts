import { readSettings } from '../../../src/lib/config/settings';
import { Deadline } from '../../../src/lib/runtime/deadline';
import { createStores } from '../../../src/lib/stores';
import { callApi, type HttpResult } from '../../support/http';
import { phoneBook, sandboxClient, textFromPhone } from '../../support/sandbox-phone';
import { TEST_PHONE_NUMBER, stack } from '../../support/stack';
import { match } from '../../support/match';

const uniquePhone = phoneBook('opt-out-intent');

// The defaults of OPT_OUT_MESSAGE, OPT_OUT_MARKETING_MESSAGE and OPT_OUT_CLARIFY_MESSAGE.
const CONFIRMED = 'You are unsubscribed and will receive no more messages. Reply START to resubscribe.';
const MARKETING_CONFIRMED = 'You will get no more marketing messages. Reply STOP to stop all messages.';
const CLARIFY = 'Reply STOP to stop all messages.';

type ChannelConsent = { optedOut: boolean; source?: string; scope?: string; rule?: string };
const consent = async (number: string) =>
  (
    (await callApi(`${stack().functionsUrl}/consent?number=${encodeURIComponent(number)}`)).json as {
      channels: Record<'sms' | 'whatsapp', ChannelConsent>;
    }
  ).channels;
const send = (path: '/sms/send' | '/whatsapp/send', to: string): Promise<HttpResult> =>
  callApi(`${stack().functionsUrl}${path}`, { method: 'POST', body: { to, body: 'Your order has shipped.' } });
const refusal = (result: HttpResult) => ({ status: result.status, code: (result.json as { error?: { code: string } }).error?.code });
/** What we sent a number through the REST API (TwiML replies to its own messages are not counted). */
const sentTo = async (address: string) =>
  (await sandboxClient().messages.list({ to: address })).filter((m) => m.direction === 'outbound-api');
const bodies = (result: { replies: Array<{ body: string }> }) => result.replies.map((reply) => reply.body);

/** A person writing on WhatsApp through the sandbox phone (signed webhook, TwiML replies recorded). */
async function whatsappFromPhone(from: string, body: string): Promise<{ replies: Array<{ body: string }> }> {
  const response = await fetch(`${stack().sandboxUrl}/_sandbox/phone/whatsapp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from, to: TEST_PHONE_NUMBER, body }),
  });
  if (!response.ok) throw new Error(`sandbox phone: ${response.status} ${await response.text()}`);
  return (await response.json()) as { replies: Array<{ body: string }> };
}

describe('opt-out intent through the sandbox phone and the Functions server', () => {
  it.each([
    ['please stop texting me', 'en.stop-contacting'],
    ['No más mensajes, por favor', 'es.no-more-messages'],
    ["Arrêtez de m'envoyer des SMS", 'fr.stop-sending'],
    ['Não quero mais receber mensagens', 'pt.dont-send'],
    ['Bitte keine SMS mehr', 'de.no-more-messages'],
  ])('%j opts the sender out with its rule and text, confirms once, and our gate refuses the next send', async (words, rule) => {
    const phone = uniquePhone();
    const result = await textFromPhone(phone, words);
    expect(result.webhook.status).toBe(200);
    // Twilio's keyword handling does not see words: we confirm, whatever OPT_OUT_REPLIES says.
    expect(bodies(result)).toEqual([CONFIRMED]);
    expect((await consent(phone)).sms).toEqual({ optedOut: true, since: match.stringMatching(/^\d{4}-/), source: 'words', rule });
    expect(refusal(await send('/sms/send', phone))).toEqual({ status: 409, code: 'opted_out' });
    expect(await sentTo(phone)).toHaveLength(0);
  });

  it('keeps the text the person wrote in the consent record, bounded to 160 characters', async () => {
    const phone = uniquePhone();
    const long = `Please stop texting me. ${'I never signed up for this. '.repeat(10)}`;
    await textFromPhone(phone, long);
    const record = await createStores(sandboxClient(), readSettings({}), Deadline.in(9000)).consent.record('sms', phone);
    expect(record).toMatchObject({ optedOut: true, source: 'words', rule: 'en.stop-contacting', text: long.trim().slice(0, 160) });
  });

  it('answers a message that may mean stop with one clarifying reply, then none, and opts nobody out', async () => {
    const phone = uniquePhone();
    expect(bodies(await textFromPhone(phone, 'no more'))).toEqual([CLARIFY]);
    expect(bodies(await textFromPhone(phone, 'Enough!'))).toEqual([]);
    expect((await consent(phone)).sms).toEqual({ optedOut: false });
    expect((await send('/sms/send', phone)).status).toBe(200);
  });

  it.each(["can't stop laughing 😂", 'I am at the bus stop', 'Non-stop deals, love it', "don't stop"])(
    '%j only mentions the word: no reply, no opt-out',
    async (words) => {
      const phone = uniquePhone();
      expect(bodies(await textFromPhone(phone, words))).toEqual([]);
      expect((await consent(phone)).sms).toEqual({ optedOut: false });
    },
  );

  it('records "stop the promotions" as a marketing-only opt-out: confirmed, transactional sends still go', async () => {
    const phone = uniquePhone();
    expect(bodies(await textFromPhone(phone, 'stop the promotions'))).toEqual([MARKETING_CONFIRMED]);
    expect((await consent(phone)).sms).toEqual({
      optedOut: true,
      since: match.stringMatching(/^\d{4}-/),
      source: 'words',
      scope: 'marketing',
      rule: 'en.marketing',
    });
    expect((await send('/sms/send', phone)).status).toBe(200);
  });

  it('a marketing-only opt-out never narrows a STOP already recorded', async () => {
    const phone = uniquePhone();
    await textFromPhone(phone, 'STOP');
    await textFromPhone(phone, 'no more marketing');
    expect((await consent(phone)).sms).toMatchObject({ optedOut: true, source: 'keyword' });
    expect(refusal(await send('/sms/send', phone))).toEqual({ status: 409, code: 'opted_out' });
  });

  it('works the same on WhatsApp, through the same inbound flow', async () => {
    const phone = uniquePhone();
    expect(bodies(await whatsappFromPhone(phone, 'ya no quiero recibir mensajes'))).toEqual([CONFIRMED]);
    expect(await consent(phone)).toMatchObject({
      whatsapp: { optedOut: true, source: 'words', rule: 'es.no-more-messages' },
      sms: { optedOut: false },
    });
    expect(refusal(await send('/whatsapp/send', phone))).toEqual({ status: 409, code: 'opted_out' });
    const other = uniquePhone();
    expect(bodies(await whatsappFromPhone(other, 'genug'))).toEqual([CLARIFY]);
    expect(bodies(await whatsappFromPhone(other, 'genug'))).toEqual([]);
  });
});
