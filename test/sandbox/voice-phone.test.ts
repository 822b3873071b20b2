import twilio from 'twilio';
import type { CallTranscript, DeliveryRecord } from '../../sandbox';
import { ACCOUNT_SID, AUTH_TOKEN, CUSTOMER, OWNED_NUMBER, control, startTestSandbox, type TestSandbox } from './helpers';
import { startVoiceApp, type VoiceApp } from './voice-app';
import { match } from '../support/match';

let env: TestSandbox;
let app: VoiceApp;
let numberSid: string;

type Answer = CallTranscript & { error?: { code: number; message: string } };

async function call(body: Record<string, unknown>): Promise<Answer> {
  const res = await control<Answer>(env.sandbox, 'POST', '/phone/call', { from: CUSTOMER, to: OWNED_NUMBER, ...body });
  expect(res.status).toBe(200);
  return res.body;
}

beforeAll(async () => {
  env = await startTestSandbox();
  app = await startVoiceApp();
  const [number] = await env.client.incomingPhoneNumbers.list({ phoneNumber: OWNED_NUMBER });
  numberSid = number.sid;
  await env.client.incomingPhoneNumbers(numberSid).update({ voiceUrl: `${app.url}/voice?tenant=1`, statusCallback: `${app.url}/status` });
  app.routes['/status'] = '<Response/>';
});

afterAll(async () => {
  await env.sandbox.close();
  await app.close();
});

beforeEach(() => {
  app.requests.length = 0;
});

describe('the phone: an inbound call walks the TwiML', () => {
  it('posts Twilio’s signed voice parameters and records what the caller heard', async () => {
    app.routes['/voice'] =
      '<Response><Say voice="Polly.Joanna" language="en-US">Hello</Say><Play>https://example.com/a.mp3</Play><Pause length="2"/><Hangup/><Say>never</Say></Response>';
    const answer = await call({});
    expect(answer.callSid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(answer.endedBy).toBe('hangup');
    expect(answer.steps.map((s) => s.verb)).toEqual(['Say', 'Play', 'Pause', 'Hangup']);
    expect(answer.steps[0]).toMatchObject({ attributes: { voice: 'Polly.Joanna', language: 'en-US' }, text: 'Hello' });

    const [request] = app.requests;
    expect(
      twilio.validateRequest(AUTH_TOKEN, String(request.headers['x-twilio-signature']), `${app.url}/voice?tenant=1`, request.params),
    ).toBe(true);
    expect(request.params).toMatchObject({
      CallSid: answer.callSid,
      AccountSid: ACCOUNT_SID,
      From: CUSTOMER,
      To: OWNED_NUMBER,
      Caller: CUSTOMER,
      Called: OWNED_NUMBER,
      CallStatus: 'ringing',
      Direction: 'inbound',
      ApiVersion: '2010-04-01',
      FromCountry: 'US',
      CalledCountry: 'US',
    });

    await env.sandbox.settled();
    const fetched = await env.client.calls(answer.callSid).fetch();
    expect([fetched.status, fetched.direction, fetched.duration, fetched.from, fetched.to]).toEqual([
      'completed',
      'inbound',
      '2',
      CUSTOMER,
      OWNED_NUMBER,
    ]);
    const status = app.requests.find((r) => r.url.endsWith('/status'));
    expect(status?.params).toMatchObject({
      CallSid: answer.callSid,
      CallStatus: 'completed',
      CallDuration: '2',
      CallbackSource: 'call-progress-events',
    });
  });

  it('Gather: digits go to the action, whose TwiML continues the call; relative URLs resolve', async () => {
    app.routes['/voice'] =
      '<Response><Gather numDigits="1" action="/menu" hints="sales"><Say>Press 1</Say></Gather><Say>No input</Say></Response>';
    app.routes['/menu'] = (p) => `<Response><Say>You pressed ${p.Digits}</Say></Response>`;
    const answer = await call({ inputs: [{ digits: '17' }] });
    expect(answer.endedBy).toBe('end-of-twiml');
    expect(answer.steps.map((s) => [s.verb, s.text])).toEqual([
      ['Gather', undefined],
      ['Say', 'You pressed 1'],
    ]);
    expect(answer.steps[0].children).toEqual([{ verb: 'Say', attributes: {}, text: 'Press 1' }]);
    expect(answer.steps[0].request).toMatchObject({ url: `${app.url}/menu`, method: 'POST', status: 200 });
    expect(answer.steps[0].request?.params).toMatchObject({ Digits: '1', CallStatus: 'in-progress', CallSid: answer.callSid });
    const action = app.requests[1];
    expect(twilio.validateRequest(AUTH_TOKEN, String(action.headers['x-twilio-signature']), `${app.url}/menu`, action.params)).toBe(true);
  });

  it('Gather: speech with confidence; silence falls through; actionOnEmptyResult posts anyway', async () => {
    app.routes['/voice'] =
      '<Response><Gather input="speech" action="/s"/><Gather action="/never"/><Say>fell through</Say><Gather action="/empty" actionOnEmptyResult="true"/></Response>';
    app.routes['/s'] = '<Response><Redirect>/rest</Redirect></Response>';
    app.routes['/rest'] =
      '<Response><Gather action="/never"/><Say>fell through</Say><Gather action="/empty" actionOnEmptyResult="true"/></Response>';
    app.routes['/empty'] = '<Response><Say>empty</Say></Response>';
    const answer = await call({ inputs: [{ speech: 'billing please', confidence: 0.82 }] });
    expect(answer.steps[0].request?.params).toMatchObject({ SpeechResult: 'billing please', Confidence: '0.82' });
    expect(answer.steps.map((s) => s.verb)).toEqual(['Gather', 'Redirect', 'Gather', 'Say', 'Gather', 'Say']);
    expect(answer.steps[2].outcome).toEqual({ silence: true });
    expect(answer.steps[4].request?.params).not.toHaveProperty('Digits');
    expect(app.requests.some((r) => r.url.endsWith('/never'))).toBe(false);
  });

  it('Dial: the callee outcome goes to the action', async () => {
    app.routes['/voice'] =
      '<Response><Dial timeout="20" callerId="+14155550142" action="/dialed"><Number>+12025550111</Number></Dial></Response>';
    app.routes['/dialed'] = (p) => `<Response><Say>${p.DialCallStatus}</Say></Response>`;
    const busy = await call({ dialOutcome: 'busy' });
    expect(busy.steps[0].request?.params).toMatchObject({ DialCallStatus: 'busy', DialBridged: 'false' });
    expect(busy.steps[0].request?.params.DialCallSid).toMatch(/^CA/);
    expect(busy.steps[1].text).toBe('busy');
    const done = await call({ dialDurationSeconds: 42 });
    expect(done.steps[0].request?.params).toMatchObject({ DialCallStatus: 'completed', DialCallDuration: '42' });
  });

  it('Record: a voicemail, its action (after hang-up), recording status and transcription callbacks', async () => {
    app.routes['/voice'] =
      `<Response><Say>Leave a message</Say><Record maxLength="60" playBeep="true" action="/recorded" transcribeCallback="${app.url}/transcribed" recordingStatusCallback="/recording-status"/></Response>`;
    app.routes['/recorded'] = '<Response><Say>never heard</Say></Response>';
    app.routes['/transcribed'] = '<Response/>';
    app.routes['/recording-status'] = '<Response/>';
    const answer = await call({ recording: { durationSeconds: 12, transcription: 'Call me back' } });
    expect(answer.endedBy).toBe('hangup');
    expect(answer.steps.map((s) => s.verb)).toEqual(['Say', 'Record']);
    const [recording] = answer.recordings;
    expect(recording).toMatchObject({
      durationSeconds: 12,
      url: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${recording.sid}`,
    });
    expect(answer.steps[1].request?.params).toMatchObject({
      RecordingSid: recording.sid,
      RecordingDuration: '12',
      Digits: 'hangup',
      RecordingUrl: recording.url,
    });

    await env.sandbox.settled();
    const transcribed = app.requests.find((r) => r.url.endsWith('/transcribed'));
    expect(transcribed?.params).toMatchObject({
      TranscriptionSid: recording.transcriptionSid,
      TranscriptionText: 'Call me back',
      TranscriptionStatus: 'completed',
      RecordingSid: recording.sid,
      RecordingUrl: recording.url,
      CallSid: answer.callSid,
      AccountSid: ACCOUNT_SID,
    });
    expect(transcribed?.params.TranscriptionUrl).toContain(`/Transcriptions/${recording.transcriptionSid}`);
    // `recordingStatusCallback="/recording-status"` is relative: it is not resolved (Twilio needs absolute callback URLs).
    const fetched = await env.client.recordings(recording.sid).fetch();
    expect([fetched.callSid, fetched.duration, fetched.status, fetched.source]).toEqual([answer.callSid, '12', 'completed', 'RecordVerb']);
    const transcription = await env.client.transcriptions(recording.transcriptionSid as string).fetch();
    expect([transcription.status, transcription.transcriptionText]).toEqual(['completed', 'Call me back']);
  });

  it('Record: transcription null fails; the caller can end with # and the action continues', async () => {
    app.routes['/voice'] = `<Response><Record transcribe="true" transcribeCallback="${app.url}/transcribed" action="/after"/></Response>`;
    app.routes['/after'] = '<Response><Say>Thanks</Say></Response>';
    const answer = await call({ recording: { durationSeconds: 3, transcription: null, endWith: '#' } });
    expect(answer.steps.map((s) => s.verb)).toEqual(['Record', 'Say']);
    expect(answer.steps[0].request?.params.Digits).toBe('#');
    await env.sandbox.settled();
    const transcribed = app.requests.find((r) => r.url.endsWith('/transcribed'));
    expect(transcribed?.params).toMatchObject({ TranscriptionStatus: 'failed', TranscriptionText: '' });
  });

  it('Pay and Message: a charge result without card data, and an SMS to the caller', async () => {
    app.routes['/voice'] = '<Response><Pay paymentConnector="Default" chargeAmount="10.00" action="/paid"/></Response>';
    app.routes['/paid'] = (p) => `<Response><Message>Receipt ${p.PaymentConfirmationCode}</Message><Say>Paid</Say></Response>`;
    const answer = await call({});
    const params = answer.steps[0].request?.params ?? {};
    expect(params.Result).toBe('success');
    expect(params.PaymentConfirmationCode).toMatch(/^ch_/);
    expect(params.PaymentCardNumber).toMatch(/^x+\d{4}$/);
    expect(Object.keys(params).filter((k) => /SecurityCode|Cvv|FullCard/i.test(k))).toEqual([]);
    expect(answer.messages).toEqual([
      { sid: match.stringMatching(/^SM/), from: OWNED_NUMBER, to: CUSTOMER, body: `Receipt ${params.PaymentConfirmationCode}` },
    ]);
    const failed = await call({ payResult: 'payment-connector-error' });
    expect(failed.steps[0].request?.params).toMatchObject({ Result: 'payment-connector-error' });
    expect(failed.steps[0].request?.params).not.toHaveProperty('PaymentConfirmationCode');
  });

  it('Reject ends the call; a redirect loop is stopped by the guard', async () => {
    app.routes['/voice'] = '<Response><Reject reason="busy"/></Response>';
    const rejected = await call({});
    expect(rejected.endedBy).toBe('reject');
    expect((await env.client.calls(rejected.callSid).fetch()).status).toBe('busy');
    app.routes['/voice'] = '<Response><Say>again</Say><Redirect method="POST">/voice</Redirect></Response>';
    const looped = await call({});
    expect(looped.endedBy).toBe('loop-guard');
    expect(looped.steps).toHaveLength(100);
    expect(looped.error?.message).toMatch(/100 verbs/);
  });

  it('reports malformed TwiML (12100), a failing webhook (11200) and a wrong content type (12300)', async () => {
    app.routes['/voice'] = '<Response><Say>unclosed</Response>';
    const malformed = await call({});
    expect([malformed.endedBy, malformed.error?.code]).toEqual(['webhook-error', 12100]);
    app.routes['/voice'] = { status: 500, contentType: 'text/plain', body: 'boom' };
    const failing = await call({});
    expect([failing.endedBy, failing.error?.code, failing.webhook?.status]).toEqual(['webhook-error', 11200, 500]);
    app.routes['/voice'] = { contentType: 'application/json', body: '{}' };
    const json = await call({});
    expect(json.error?.code).toBe(12300);
  });

  it('answers 4xx for an unknown number, a number without VoiceUrl and bad inputs', async () => {
    expect((await control(env.sandbox, 'POST', '/phone/call', { from: CUSTOMER, to: '+12025550111' })).status).toBe(404);
    expect((await control(env.sandbox, 'POST', '/phone/call', { from: CUSTOMER, to: '+15005550006' })).status).toBe(409);
    expect(
      (await control(env.sandbox, 'POST', '/phone/call', { from: CUSTOMER, to: OWNED_NUMBER, inputs: [{ digits: 'abc' }] })).status,
    ).toBe(400);
    expect((await control(env.sandbox, 'POST', '/phone/call', { from: CUSTOMER, to: OWNED_NUMBER, dialOutcome: 'maybe' })).status).toBe(
      400,
    );
  });

  it('GET /_sandbox/calls/{CA} replays the transcript; callbacks are findable by CallSid', async () => {
    app.routes['/voice'] = '<Response><Say>Hi</Say></Response>';
    const answer = await call({});
    const again = await control<Answer & { status: string }>(env.sandbox, 'GET', `/calls/${answer.callSid}`);
    expect(again.body).toMatchObject({ callSid: answer.callSid, status: 'completed', endedBy: 'end-of-twiml' });
    await env.sandbox.settled();
    const deliveries = await control<DeliveryRecord[]>(env.sandbox, 'GET', `/callbacks?sid=${answer.callSid}`);
    expect(deliveries.body.map((d) => d.params.CallStatus)).toEqual(['ringing', 'completed']);
    expect((await control(env.sandbox, 'GET', `/calls/CA${'0'.repeat(32)}`)).status).toBe(404);
  });
});
