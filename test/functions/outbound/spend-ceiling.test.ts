import { callApi } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { callNumber, heard } from '../../support/sandbox-call';
import { TEST_PHONE_NUMBER } from '../../support/stack';

interface PhoneAnswer {
  replies: Array<{ to: string; body: string }>;
}

// Own sandbox: the hour's spend ceiling is its own. Three paid actions an hour, then only STOP's confirmation.
describe('the spend ceiling on webhooks (PAID_ACTIONS_PER_HOUR=3)', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack({
      PAID_ACTIONS_PER_HOUR: '3',
      OPT_OUT_REPLIES: 'ours',
      OPT_OUT_MESSAGE: 'Bye.',
      HELP_MESSAGE: 'Acme help.',
      WHATSAPP_KEYWORDS: JSON.stringify({ support: 'A person will answer.' }),
    });
  });
  afterAll(() => own.close());

  const text = async (channel: 'sms' | 'whatsapp', from: string, body: string) => {
    const response = await fetch(`${own.sandbox.url}/_sandbox/phone/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from, to: TEST_PHONE_NUMBER, body }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as PhoneAnswer).replies.map((reply) => reply.body);
  };
  /** The IVR's option 4 texts the caller our address. */
  const askForText = async (from: string) =>
    heard(
      await callNumber(own.sandbox.url, {
        from,
        to: TEST_PHONE_NUMBER,
        inputs: [{ digits: '4' }, { silence: true }, { silence: true }, { silence: true }],
        recording: { durationSeconds: 0 },
      }),
    );
  const optedOut = async (number: string) =>
    (
      (await callApi(`${own.functions.url}/consent?number=${encodeURIComponent(number)}`)).json as {
        channels: Record<string, { optedOut: boolean }>;
      }
    ).channels.sms.optedOut;

  it('texts, answers HELP and routes WhatsApp keywords until the budget is spent, then stops; STOP is still recorded and confirmed', async () => {
    expect(await askForText('+12025550142')).toContain('We have sent our address to your phone.');
    expect(await text('sms', '+12025550143', 'HELP')).toEqual(['Acme help.']);
    expect(await text('whatsapp', '+447400123401', 'support')).toEqual(['A person will answer.']);

    expect(await askForText('+12025550144')).toContain('Sorry, we cannot send a text message to this number.');
    expect(await own.client.messages.list({ to: '+12025550144' })).toEqual([]);
    expect(await text('sms', '+12025550145', 'HELP')).toEqual([]);
    expect(await text('whatsapp', '+447400123402', 'support')).toEqual([]);

    expect(await text('sms', '+12025550146', 'STOP')).toEqual(['Bye.']);
    expect(await optedOut('+12025550146')).toBe(true);
  });
});
