import { callApi, postSignedForm, type HttpResult } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { callNumber, heard, type CallInput } from '../../support/sandbox-call';
import { TEST_PHONE_NUMBER } from '../../support/stack';
import { eventually } from '../../support/wait';
import { match } from '../../support/match';

const STAFF_FORWARD = '+12065550190';
const ABROAD = '+447400123456';
/** The sandbox's magic recipient that Messages create refuses with 21610 (the carrier's opt-out). */
const CARRIER_OPTED_OUT = '+15005550004';

type Consent = Record<'sms' | 'whatsapp' | 'voice', { optedOut: boolean; source?: string }>;

// Own sandbox and default ALLOWED_COUNTRIES (empty: the country of TWILIO_PHONE_NUMBER, the US).
describe('the outbound gate: every path refuses opted-out and out-of-country recipients', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack({
      ALLOWED_COUNTRIES: '',
      FORWARD_TO: STAFF_FORWARD,
      AUTO_REPLY: 'Thanks, we will answer soon.',
      TRIGGERED_SENDS_PER_HOUR: '2',
    });
  });
  afterAll(() => own.close());

  let line = 100;
  /** A fresh US mobile number for each test. */
  const person = () => `+1206555${String(line++).padStart(4, '0')}`;
  const control = (path: string, body: unknown) =>
    fetch(`${own.sandbox.url}/_sandbox${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (r) => {
      if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
      return r.json() as Promise<{ replies: Array<{ to: string; body: string }> }>;
    });
  const text = (from: string, body: string) => control('/phone/sms', { from, to: TEST_PHONE_NUMBER, body });
  const whatsapp = (from: string, body: string) => control('/phone/whatsapp', { from, to: TEST_PHONE_NUMBER, body });
  const api = (path: string, body?: Record<string, unknown>): Promise<HttpResult> =>
    callApi(`${own.functions.url}${path}`, body ? { method: 'POST', body } : {});
  /** What we sent a number through the REST API (replies to its own messages are TwiML, not counted). */
  const sentTo = async (address: string) => (await own.client.messages.list({ to: address })).filter((m) => m.direction === 'outbound-api');
  const callsTo = (number: string) => own.client.calls.list({ to: number });
  const consent = async (number: string) =>
    ((await api(`/consent?number=${encodeURIComponent(number)}`)).json as { channels: Consent }).channels;
  const refusal = (result: HttpResult) => ({ status: result.status, code: (result.json as { error?: { code: string } }).error?.code });

  describe('POST /sms/send', () => {
    it('refuses a person who texted a Unicode STOP with 409 opted_out, sending nothing', async () => {
      const to = person();
      await text(to, '\uFF33\uFF34\uFF2F\uFF30');
      expect(refusal(await api('/sms/send', { to, body: 'Sale today' }))).toEqual({ status: 409, code: 'opted_out' });
      expect(await sentTo(to)).toHaveLength(0);
    });

    it("refuses a country other than TWILIO_PHONE_NUMBER's by default with 403 country_not_allowed", async () => {
      expect(refusal(await api('/sms/send', { to: ABROAD, body: 'Hello' }))).toEqual({ status: 403, code: 'country_not_allowed' });
      expect(await sentTo(ABROAD)).toHaveLength(0);
    });
  });

  describe('POST /whatsapp/send', () => {
    it('honours a WhatsApp STOP without touching SMS consent', async () => {
      const to = person();
      await whatsapp(to, 'STOP');
      expect(refusal(await api('/whatsapp/send', { to, body: 'Your order shipped' }))).toEqual({ status: 409, code: 'opted_out' });
      expect(await sentTo(`whatsapp:${to}`)).toHaveLength(0);
      expect(await consent(to)).toMatchObject({
        whatsapp: { optedOut: true, source: 'keyword' },
        sms: { optedOut: false },
        voice: { optedOut: false },
      });
      expect((await api('/sms/send', { to, body: 'An SMS still goes' })).status).toBe(200);
    });

    it('records the carrier opt-out (21610) for WhatsApp and refuses the next send before Twilio', async () => {
      await whatsapp(CARRIER_OPTED_OUT, 'hi');
      expect(refusal(await api('/whatsapp/send', { to: CARRIER_OPTED_OUT, body: 'hello' }))).toEqual({ status: 409, code: 'opted_out' });
      expect(await consent(CARRIER_OPTED_OUT)).toMatchObject({
        whatsapp: { optedOut: true, source: 'twilio-21610' },
        sms: { optedOut: false },
      });
      expect(refusal(await api('/whatsapp/send', { to: CARRIER_OPTED_OUT, body: 'hello' }))).toEqual({ status: 409, code: 'opted_out' });
    });

    it('does not apply geography to WhatsApp (Twilio geo permissions cover SMS and voice)', async () => {
      await whatsapp(ABROAD, 'hi');
      expect((await api('/whatsapp/send', { to: ABROAD, body: 'Hello from abroad' })).status).toBe(200);
    });
  });

  describe('POST /voice/call', () => {
    const callee = (number: string, inputs: CallInput[]) =>
      fetch(`${own.sandbox.url}/_sandbox/phone/callee`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ number, outcome: 'answer', inputs }),
      });

    it('offers "press 9 to stop these calls" on a reminder; 9 records a voice opt-out that the next call honours', async () => {
      const to = person();
      await callee(to, [{ digits: '9' }]);
      const first = await api('/voice/call', { to, reminder: 'Reminder: dentist tomorrow.' });
      expect(first.status).toBe(200);
      const sid = (first.json as { sid: string }).sid;
      const walk = await eventually(
        async () =>
          (await (await fetch(`${own.sandbox.url}/_sandbox/calls/${sid}`)).json()) as {
            status: string;
            steps: Array<{ verb: string; text?: string; children?: Array<{ text?: string }> }>;
          },
        (call) => call.status === 'completed',
      );
      const said = walk.steps.flatMap((step) => [step.text, ...(step.children ?? []).map((child) => child.text)]).filter(Boolean);
      expect(said).toContain('Press 1 to confirm, or 2 to cancel. To stop these calls, press 9.');
      expect(said).toContain('You will not receive these calls again. Goodbye.');
      expect(await consent(to)).toMatchObject({ voice: { optedOut: true, source: 'keypad' }, sms: { optedOut: false } });
      expect(refusal(await api('/voice/call', { to, message: 'Another reminder' }))).toEqual({ status: 409, code: 'opted_out' });
      expect(await callsTo(to)).toHaveLength(1);
    });

    it('refuses an out-of-country callee with 403 before any call', async () => {
      expect(refusal(await api('/voice/call', { to: ABROAD, message: 'Hello' }))).toEqual({ status: 403, code: 'country_not_allowed' });
      expect(await callsTo(ABROAD)).toHaveLength(0);
    });
  });

  describe('the IVR "text me" option (caller ID chosen by the caller)', () => {
    const TEXTED = 'Acme, 1 Example Street. Reply STOP to opt out.';
    const pressFour = (from: string) =>
      callNumber(own.sandbox.url, {
        from,
        to: TEST_PHONE_NUMBER,
        inputs: [{ digits: '4' }, { silence: true }, { silence: true }, { silence: true }],
        recording: { durationSeconds: 0 },
      });

    it('does not text a caller who texted STOP; the caller hears why and the menu goes on', async () => {
      const caller = person();
      await text(caller, 'S\u00ADTOP');
      const walk = await pressFour(caller);
      expect(heard(walk)).toContain('Sorry, we cannot send a text message to this number.');
      expect(await sentTo(caller)).toHaveLength(0);
    });

    it('does not text a caller ID abroad', async () => {
      const walk = await pressFour(ABROAD);
      expect(heard(walk)).toContain('Sorry, we cannot send a text message to this number.');
      expect(await sentTo(ABROAD)).toHaveLength(0);
    });

    it('answers TwiML, not JSON, when Twilio refuses the text (21610), and remembers the opt-out', async () => {
      const walk = await pressFour(CARRIER_OPTED_OUT);
      expect(walk.endedBy).not.toBe('webhook-error');
      expect(heard(walk)).toContain('Sorry, we cannot send a text message to this number.');
      expect(await consent(CARRIER_OPTED_OUT)).toMatchObject({ sms: { optedOut: true, source: 'twilio-21610' } });
    });

    it('texts one caller ID at most TRIGGERED_SENDS_PER_HOUR times an hour', async () => {
      const caller = person();
      const walks = [];
      for (let i = 0; i < 3; i += 1) walks.push(await pressFour(caller));
      expect(walks.map((walk) => heard(walk).includes('We have sent our address to your phone.'))).toEqual([true, true, false]);
      expect((await sentTo(caller)).map((m) => m.body)).toEqual([TEXTED, TEXTED]);
    });
  });

  describe('inbound auto-replies and forwards', () => {
    it('auto-replies at home, forwards to staff, and never auto-replies abroad', async () => {
      const home = person();
      expect((await text(home, 'Where is my order?')).replies.map((r) => r.to)).toEqual(match.arrayContaining([home, STAFF_FORWARD]));
      const abroad = await text('+447400123999', 'Where is my order?');
      expect(abroad.replies.map((r) => r.to)).toEqual([STAFF_FORWARD]);
    });

    it('stops auto-replying to one sender after TRIGGERED_SENDS_PER_HOUR an hour, but keeps forwarding', async () => {
      const sender = person();
      const answers = [];
      for (let i = 0; i < 3; i += 1) answers.push((await text(sender, `message ${i}`)).replies.map((r) => r.to));
      expect(answers.map((to) => to.includes(sender))).toEqual([true, true, false]);
      expect(answers.every((to) => to.includes(STAFF_FORWARD))).toBe(true);
    });
  });

  describe('voice webhooks answer TwiML whatever happens', () => {
    it('turns an error inside a voice route into an apology and a hang-up', async () => {
      const result = await postSignedForm(`${own.functions.url}/voice/menu?path=zzzz`, {
        CallSid: `CA${'1'.repeat(32)}`,
        From: person(),
        Digits: '1',
      });
      expect(result.status).toBe(200);
      expect(result.headers.get('content-type')).toMatch(/text\/xml/);
      expect(result.text).toMatch(
        /<Say[^>]*>Sorry, something went wrong on our side\. Please call again later\. Goodbye\.<\/Say><Hangup\/><\/Response>$/,
      );
    });
  });

  describe('GET /consent', () => {
    it('shows every channel of a number, and GET /sms/optout still answers for SMS', async () => {
      const number = person();
      await text(number, 'STOP\u2764\uFE0F');
      expect(await consent(number)).toEqual({
        sms: { optedOut: true, since: match.any(String), source: 'keyword' },
        whatsapp: { optedOut: false },
        voice: { optedOut: false },
      });
      expect((await api(`/sms/optout?number=${encodeURIComponent(number)}`)).json).toMatchObject({
        number,
        optedOut: true,
        source: 'keyword',
      });
      await text(number, 'start');
      expect((await consent(number)).sms).toMatchObject({ optedOut: false, source: 'keyword' });
    });

    it('answers 400 for something that is not a phone number', async () => {
      expect((await api('/consent?number=hello')).status).toBe(400);
    });
  });
});

// Own sandbox: the delivery alert is claimed once per hour per account.
describe('the outbound gate on staff numbers (ALERT_SMS_TO, VOICEMAIL_NOTIFY_TO)', () => {
  const ALERTS = '+12065550191';
  const VOICEMAILS = '+12065550192';
  /** Sandbox recipient whose delivery ends undelivered 30006 (permanent: never re-sent). */
  const LANDLINE = '+15005550011';
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack({
      ALERT_SMS_TO: ALERTS,
      DELIVERY_ALERT_MIN: '1',
      DELIVERY_ALERT_RATE: '0.99',
      VOICEMAIL_NOTIFY_TO: VOICEMAILS,
    });
  });
  afterAll(() => own.close());

  const text = (from: string, body: string) =>
    fetch(`${own.sandbox.url}/_sandbox/phone/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from, to: TEST_PHONE_NUMBER, body }),
    });
  const sentTo = async (to: string) => (await own.client.messages.list({ to })).filter((m) => m.direction === 'outbound-api');
  const failOne = async () => {
    expect((await callApi(`${own.functions.url}/sms/send`, { method: 'POST', body: { to: LANDLINE, body: 'hello' } })).status).toBe(200);
    await own.sandbox.settled();
  };
  const leaveVoicemail = async (words: string) => {
    await callNumber(own.sandbox.url, {
      from: '+12065550180',
      to: TEST_PHONE_NUMBER,
      inputs: [{ digits: '2' }],
      recording: { durationSeconds: 5, transcription: words },
    });
    await own.sandbox.settled();
  };

  it('does not alert a staff number that texted STOP, and alerts it again after START', async () => {
    await text(ALERTS, 'STOP');
    await failOne();
    expect(await sentTo(ALERTS)).toHaveLength(0);
    await text(ALERTS, 'START');
    await failOne();
    expect(
      (
        await eventually(
          () => sentTo(ALERTS),
          (list) => list.length > 0,
        )
      ).map((m) => m.body),
    ).toEqual([match.stringMatching(/^Delivery alert:/)]);
  });

  it('does not text voicemails to a staff number that texted STOP; the voicemail is still kept', async () => {
    await text(VOICEMAILS, 'STOP');
    await leaveVoicemail('First message');
    expect(await sentTo(VOICEMAILS)).toHaveLength(0);
    const kept = (await callApi(`${own.functions.url}/voice/voicemails`)).json as {
      voicemails: Array<{ transcription: { text?: string } }>;
    };
    expect(kept.voicemails.map((v) => v.transcription.text)).toContain('First message');
    await text(VOICEMAILS, 'START');
    await leaveVoicemail('Second message');
    expect(
      (
        await eventually(
          () => sentTo(VOICEMAILS),
          (list) => list.length > 0,
        )
      ).map((m) => m.body),
    ).toEqual([match.stringContaining('Second message')]);
  });
});

// Own sandbox: our own keyword answers (OPT_OUT_REPLIES=ours), a broken staff number, Sync faults.
describe('compliance replies, isolated settings and the WhatsApp window', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack({ ALLOWED_COUNTRIES: '', OPT_OUT_REPLIES: 'ours', TRIGGERED_SENDS_PER_HOUR: '2', FORWARD_TO: '2065550190' });
  });
  afterAll(() => own.close());

  const phone = (channel: 'sms' | 'whatsapp', from: string, body: string) =>
    fetch(`${own.sandbox.url}/_sandbox/phone/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from, to: TEST_PHONE_NUMBER, body }),
    }).then(async (r) => (await r.json()) as { webhook: { status: number }; replies: Array<{ to: string; body: string }> });
  const consent = async (number: string) =>
    ((await callApi(`${own.functions.url}/consent?number=${encodeURIComponent(number)}`)).json as { channels: Consent }).channels;

  it('answers HELP at home, at most TRIGGERED_SENDS_PER_HOUR times an hour, and never abroad', async () => {
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push((await phone('sms', '+12065550170', 'HELP')).replies.length);
    expect(answers).toEqual([1, 1, 0]);
    expect((await phone('sms', '+447400123777', 'HELP')).replies).toEqual([]);
  });

  it('a FORWARD_TO that is not E.164 leaves STOP working and /health degraded, naming only the variable', async () => {
    const result = await phone('sms', '+12065550171', 'STOP');
    expect(result.webhook.status).toBe(200);
    expect(result.replies.map((r) => r.body)).toEqual([match.stringMatching(/unsubscribed/)]);
    expect(await consent('+12065550171')).toMatchObject({ sms: { optedOut: true } });
    const health = await callApi(`${own.functions.url}/health`, { token: null });
    expect({ status: health.status, json: health.json }).toEqual({
      status: 200,
      json: match.objectContaining({ status: 'degraded', brokenSettings: ['FORWARD_TO'] }),
    });
    expect(health.text).not.toContain('2065550190');
  });

  it('records a WhatsApp STOP even when the window cannot be written', async () => {
    const fault = await fetch(`${own.sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        method: 'POST',
        pathPattern: '^/sync/v1/Services/[^/]+/Maps/whatsapp-sessions-\\d+/Items',
        status: 500,
        code: 20500,
        times: 5,
      }),
    });
    expect(fault.status).toBe(201);
    const result = await phone('whatsapp', '+12065550172', 'STOP');
    expect(result.webhook.status).toBe(200);
    expect(await consent('+12065550172')).toMatchObject({ whatsapp: { optedOut: true, source: 'keyword' } });
  });
});
