import { startLocalFunctions, type LocalFunctions } from '../../../local/functions-server';
import { readSettings } from '../../../src/lib/config/settings';
import { Deadline } from '../../../src/lib/runtime/deadline';
import { createStores } from '../../../src/lib/stores';
import { callApi, postSignedForm } from '../../support/http';
import { phoneBook, sandboxClient, textFromPhone } from '../../support/sandbox-phone';

const uniquePhone = phoneBook('sms-incoming');
import { TEST_PHONE_NUMBER, functionsEnv, stack } from '../../support/stack';
import { messagesOf } from '../../support/twiml';
import { match } from '../../support/match';

const optOutState = async (number: string) =>
  (await callApi(`${stack().functionsUrl}/sms/optout?number=${encodeURIComponent(number)}`)).json as { optedOut: boolean; source?: string };

const inbox = () => createStores(sandboxClient(), readSettings({}), Deadline.in(9000)).inbox;

describe('POST /sms/incoming through the sandbox phone (Twilio opt-out replies)', () => {
  it.each(['STOP', 'stopall', ' Unsubscribe. ', 'CANCEL', 'end', 'Quit!', 'REVOKE', 'optout'])(
    '%j opts the sender out, silently',
    async (keyword) => {
      const phone = uniquePhone();
      const result = await textFromPhone(phone, keyword);
      expect(result.webhook.status).toBe(200);
      expect(result.replies).toEqual([]);
      expect(await optOutState(phone)).toMatchObject({ optedOut: true, source: 'keyword' });
    },
  );

  it.each(['START', 'yes', 'Unstop'])('%j opts the sender back in', async (keyword) => {
    const phone = uniquePhone();
    await textFromPhone(phone, 'STOP');
    await textFromPhone(phone, keyword);
    expect(await optOutState(phone)).toMatchObject({ optedOut: false });
  });

  it.each(['HELP', ' info? '])("%j is left to Twilio's keyword handling (OPT_OUT_REPLIES=twilio): no second answer", async (keyword) => {
    const phone = uniquePhone();
    const result = await textFromPhone(phone, keyword);
    expect(result.webhook.status).toBe(200);
    expect(result.replies).toEqual([]);
    expect(await optOutState(phone)).toMatchObject({ optedOut: false });
  });

  it('keeps any other message with its media, and sends nothing when no forward or auto-reply is set', async () => {
    const phone = uniquePhone();
    const result = await textFromPhone(phone, 'Is this the right size? Photo attached', { mediaUrls: ['https://media.example/photo.jpg'] });
    expect(result.replies).toEqual([]);
    expect(await optOutState(phone)).toMatchObject({ optedOut: false });
    const kept = await inbox().get(result.messageSid);
    expect(kept).toMatchObject({
      from: phone,
      to: TEST_PHONE_NUMBER,
      body: 'Is this the right size? Photo attached',
      media: [{ url: 'https://media.example/photo.jpg', contentType: 'image/jpeg' }],
    });
  });
});

describe('POST /sms/incoming with its settings (signed posts to the local server)', () => {
  const staff = '+12025550188';
  let server: LocalFunctions;

  beforeAll(async () => {
    server = await startLocalFunctions({
      port: 0,
      env: {
        ...functionsEnv(stack().sandbox),
        OPT_OUT_REPLIES: 'ours',
        OPT_OUT_MESSAGE: 'Bye.',
        OPT_IN_MESSAGE: 'Welcome back.',
        HELP_MESSAGE: 'Acme: help at acme.example. Reply STOP to opt out.',
        FORWARD_TO: staff,
        AUTO_REPLY: 'Thanks, we will get back to you.',
      },
    });
  });
  afterAll(() => server.close());

  const inbound = (from: string, body: string, extra: Record<string, string> = {}) =>
    postSignedForm(`${server.url}/sms/incoming`, {
      MessageSid: `SM${Math.random().toString(16).slice(2).padEnd(32, '0').slice(0, 32)}`,
      AccountSid: 'AC' + '0'.repeat(32),
      From: from,
      To: TEST_PHONE_NUMBER,
      Body: body,
      NumMedia: '0',
      ...extra,
    });

  it('answers STOP and START itself when OPT_OUT_REPLIES=ours', async () => {
    const phone = uniquePhone();
    const stop = await inbound(phone, 'stop');
    expect(stop.headers.get('content-type')).toMatch(/text\/xml/);
    expect(messagesOf(stop.text)).toEqual([{ body: 'Bye.', media: [] }]);
    expect(messagesOf((await inbound(phone, 'START')).text)).toEqual([{ body: 'Welcome back.', media: [] }]);
  });

  it('answers HELP with HELP_MESSAGE', async () => {
    expect(messagesOf((await inbound(uniquePhone(), 'help')).text)).toEqual([
      { body: 'Acme: help at acme.example. Reply STOP to opt out.', media: [] },
    ]);
  });

  it('forwards other messages to FORWARD_TO with their media, and auto-replies to the sender', async () => {
    const phone = uniquePhone();
    const result = await inbound(phone, 'Is my order ready?', {
      NumMedia: '1',
      MediaUrl0: 'https://media.example/a.png',
      MediaContentType0: 'image/png',
    });
    expect(result.status).toBe(200);
    expect(messagesOf(result.text)).toEqual([
      { to: staff, body: `From ${phone}: "Is my order ready?"`, media: ['https://media.example/a.png'] },
      { body: 'Thanks, we will get back to you.', media: [] },
    ]);
  });

  it.each([
    ['no MessageSid', { MessageSid: '' }],
    ['no From', { From: '' }],
    ['a NumMedia that is not a count', { NumMedia: 'lots' }],
    ['a NumMedia without its MediaUrl', { NumMedia: '2', MediaUrl0: 'https://media.example/a.png' }],
  ])('refuses a webhook with %s as 400 JSON, not a crash', async (_name, override) => {
    const result = await inbound(uniquePhone(), 'hello', override);
    expect(result.status).toBe(400);
    expect(result.json).toEqual({ error: { code: match.stringMatching(/^(missing|invalid)_parameter$/), message: match.any(String) } });
  });

  it('refuses an unsigned request before it runs', async () => {
    const phone = uniquePhone();
    const result = await postSignedForm(
      `${server.url}/sms/incoming`,
      { MessageSid: 'SM1', From: phone, To: TEST_PHONE_NUMBER, Body: 'STOP' },
      { signature: null },
    );
    expect(result.status).toBe(403);
    expect(await optOutState(phone)).toMatchObject({ optedOut: false });
  });
});
