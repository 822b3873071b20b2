import twilio from 'twilio';
import type { CallTranscript } from '../../sandbox';
import { ACCOUNT_SID, AUTH_TOKEN, CUSTOMER, OWNED_NUMBER, control, restError, startTestSandbox, type TestSandbox } from './helpers';
import { startVoiceApp, type VoiceApp } from './voice-app';

let env: TestSandbox;
let app: VoiceApp;

type Transcript = CallTranscript & { status: string };

async function transcript(sid: string): Promise<Transcript> {
  return (await control<Transcript>(env.sandbox, 'GET', `/calls/${sid}`)).body;
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

beforeAll(async () => {
  env = await startTestSandbox();
  app = await startVoiceApp({ '/status': '<Response/>' });
});

afterAll(async () => {
  await env.sandbox.close();
  await app.close();
});

beforeEach(() => {
  app.requests.length = 0;
});

const statusCallbacks = (sid: string): Array<Record<string, string>> =>
  app.requests.filter((r) => r.url.endsWith('/status') && r.params.CallSid === sid).map((r) => r.params);

describe('Calls API: outbound calls played by the sandbox callee', () => {
  it('creates a queued call, walks its Url with the callee’s input and sends the requested status callbacks', async () => {
    app.routes['/outbound'] = '<Response><Gather numDigits="1" action="/confirm"><Say>Press 1 to confirm</Say></Gather></Response>';
    app.routes['/confirm'] = (p) => `<Response><Say>Got ${p.Digits}</Say></Response>`;
    await control(env.sandbox, 'POST', '/phone/callee', { number: CUSTOMER, inputs: [{ digits: '1' }] });
    const call = await env.client.calls.create({
      to: CUSTOMER,
      from: OWNED_NUMBER,
      url: `${app.url}/outbound`,
      statusCallback: `${app.url}/status`,
      statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
    });
    expect(call.sid).toMatch(/^CA[0-9a-f]{32}$/);
    expect([call.status, call.direction, call.startTime]).toEqual(['queued', 'outbound-api', null]);
    await env.sandbox.settled();

    const walk = await transcript(call.sid);
    expect(walk.status).toBe('completed');
    expect(walk.steps.map((s) => [s.verb, s.text])).toEqual([
      ['Gather', undefined],
      ['Say', 'Got 1'],
    ]);
    expect(walk.webhook?.params).toMatchObject({ CallStatus: 'in-progress', Direction: 'outbound-api', From: OWNED_NUMBER, To: CUSTOMER });
    expect(walk.webhook?.params).not.toHaveProperty('AnsweredBy');

    const callbacks = statusCallbacks(call.sid);
    expect(callbacks.map((p) => [p.CallStatus, p.SequenceNumber])).toEqual([
      ['initiated', '0'],
      ['ringing', '1'],
      ['in-progress', '2'],
      ['completed', '3'],
    ]);
    expect(callbacks[3]).toMatchObject({ CallbackSource: 'call-progress-events', CallDuration: '0' });
    expect(callbacks.every((p) => typeof p.Timestamp === 'string' && p.Timestamp.endsWith('+0000'))).toBe(true);
    const signed = app.requests.find((r) => r.url.endsWith('/status'));
    expect(
      twilio.validateRequest(AUTH_TOKEN, String(signed?.headers['x-twilio-signature']), `${app.url}/status`, signed?.params ?? {}),
    ).toBe(true);

    const fetched = await env.client.calls(call.sid).fetch();
    expect([fetched.status, fetched.duration]).toEqual(['completed', '0']);
    expect(fetched.startTime).not.toBeNull();
  });

  it('sends only `completed` when no StatusCallbackEvent is named; inline Twiml works', async () => {
    const call = await env.client.calls.create({
      to: CUSTOMER,
      from: OWNED_NUMBER,
      twiml: '<Response><Pause length="3"/></Response>',
      statusCallback: `${app.url}/status`,
    });
    await env.sandbox.settled();
    expect(statusCallbacks(call.sid).map((p) => [p.CallStatus, p.CallDuration])).toEqual([['completed', '3']]);
  });

  it('busy, no-answer and failed callees end the call with that status', async () => {
    for (const outcome of ['busy', 'no-answer', 'failed'] as const) {
      const to = outcome === 'busy' ? '+12025550161' : outcome === 'no-answer' ? '+12025550162' : '+12025550163';
      await control(env.sandbox, 'POST', '/phone/callee', { number: to, outcome });
      const call = await env.client.calls.create({
        to,
        from: OWNED_NUMBER,
        twiml: '<Response><Say>x</Say></Response>',
        statusCallback: `${app.url}/status`,
      });
      await env.sandbox.settled();
      expect((await env.client.calls(call.sid).fetch()).status).toBe(outcome);
      expect(statusCallbacks(call.sid).map((p) => p.CallStatus)).toEqual([outcome]);
      expect((await transcript(call.sid)).steps).toEqual([]);
    }
  });

  it('MachineDetection adds AnsweredBy', async () => {
    await control(env.sandbox, 'POST', '/phone/callee', { number: '+12025550164', answeredBy: 'machine_start' });
    app.routes['/amd'] = '<Response><Hangup/></Response>';
    const call = await env.client.calls.create({
      to: '+12025550164',
      from: OWNED_NUMBER,
      url: `${app.url}/amd`,
      machineDetection: 'DetectMessageEnd',
    });
    await env.sandbox.settled();
    expect((await transcript(call.sid)).webhook?.params.AnsweredBy).toBe('machine_end_beep');
    expect((await env.client.calls(call.sid).fetch()).answeredBy).toBe('machine_end_beep');
  });

  it('cancels a ringing call; redirects and hangs up a live one', async () => {
    await control(env.sandbox, 'POST', '/phone/callee', { number: '+12025550165', ringMs: 300 });
    const ringing = await env.client.calls.create({ to: '+12025550165', from: OWNED_NUMBER, twiml: '<Response><Say>x</Say></Response>' });
    const canceled = await env.client.calls(ringing.sid).update({ status: 'canceled' });
    expect(canceled.status).toBe('canceled');
    await env.sandbox.settled();
    expect((await transcript(ringing.sid)).endedBy).toBe('canceled');

    app.routes['/slow'] = { body: '<Response><Say>old</Say></Response>', delayMs: 150 };
    const live = await env.client.calls.create({ to: '+12025550166', from: OWNED_NUMBER, url: `${app.url}/slow` });
    await until(async () => (await env.client.calls(live.sid).fetch()).status === 'in-progress');
    await env.client.calls(live.sid).update({ twiml: '<Response><Say>new</Say></Response>' });
    await env.sandbox.settled();
    expect((await transcript(live.sid)).steps.map((s) => s.text)).toEqual(['new']);

    const ended = await restError(env.client.calls(live.sid).update({ twiml: '<Response/>' }));
    expect([ended.status, ended.code]).toEqual([400, 21220]);

    const hangup = await env.client.calls.create({ to: '+12025550167', from: OWNED_NUMBER, url: `${app.url}/slow` });
    await until(async () => (await env.client.calls(hangup.sid).fetch()).status === 'in-progress');
    await env.client.calls(hangup.sid).update({ status: 'completed' });
    await env.sandbox.settled();
    expect(await transcript(hangup.sid)).toMatchObject({ status: 'completed', endedBy: 'hangup', steps: [] });
  });

  it('lists calls newest first with paging and To / From / Status filters', async () => {
    const a = await env.client.calls.create({ to: '+12025550171', from: OWNED_NUMBER, twiml: '<Response/>' });
    const b = await env.client.calls.create({ to: '+12025550172', from: OWNED_NUMBER, twiml: '<Response/>' });
    await env.sandbox.settled();
    const page = await env.client.calls.page({ pageSize: 1 });
    expect(page.instances.map((c) => c.sid)).toEqual([b.sid]);
    expect((await page.nextPage())?.instances.map((c) => c.sid)).toEqual([a.sid]);
    expect((await env.client.calls.list({ to: '+12025550171' })).map((c) => c.sid)).toEqual([a.sid]);
    expect((await env.client.calls.list({ status: 'busy' })).every((c) => c.status === 'busy')).toBe(true);
    expect((await env.client.calls.list({ from: OWNED_NUMBER })).length).toBeGreaterThanOrEqual(2);
  });

  it('validates creates, honouring Twilio’s magic numbers for calls', async () => {
    const cases: Array<[Record<string, string>, number]> = [
      [{ From: OWNED_NUMBER, Twiml: '<Response/>' }, 21201],
      [{ To: CUSTOMER, Twiml: '<Response/>' }, 21213],
      [{ To: '+15005550001', From: OWNED_NUMBER, Twiml: '<Response/>' }, 21217],
      [{ To: '+15005550002', From: OWNED_NUMBER, Twiml: '<Response/>' }, 21214],
      [{ To: '+15005550003', From: OWNED_NUMBER, Twiml: '<Response/>' }, 21215],
      [{ To: '+15005550004', From: OWNED_NUMBER, Twiml: '<Response/>' }, 21216],
      [{ To: CUSTOMER, From: '+15005550001', Twiml: '<Response/>' }, 21212],
      [{ To: CUSTOMER, From: '+12025550199', Twiml: '<Response/>' }, 21210],
      [{ To: CUSTOMER, From: OWNED_NUMBER }, 21205],
    ];
    // Raw requests: twilio-node refuses a create without To / From before sending it.
    const auth = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;
    for (const [form, code] of cases) {
      const res = await fetch(`${env.sandbox.url}/api/2010-04-01/Accounts/${ACCOUNT_SID}/Calls.json`, {
        method: 'POST',
        headers: { Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
      const error = (await res.json()) as { code: number; status: number };
      expect([form, res.status, error.code, error.status]).toEqual([form, 400, code, 400]);
    }
    const magicFrom = await env.client.calls.create({ to: CUSTOMER, from: '+15005550006', twiml: '<Response/>' });
    expect(magicFrom.status).toBe('queued');
    const missing = await restError(env.client.calls(`CA${'0'.repeat(32)}`).fetch());
    expect([missing.status, missing.code]).toEqual([404, 20404]);
  });
});

describe('Recordings: started over REST, paused around <Pay>', () => {
  it('pauses Twilio.CURRENT around <Pay> and reports the changes in order', async () => {
    const sids: { call?: string; recording?: string } = {};
    // As the product does in its webhooks: start recording when the call comes in, pause it just
    // before answering with <Pay>. Done inside the webhooks, so the order is the call's own.
    app.routes['/pay-call'] = async (p) => {
      sids.call = p.CallSid;
      sids.recording = (await env.client.calls(p.CallSid).recordings.create()).sid;
      return '<Response><Say>Recording starts</Say><Redirect>/before-pay</Redirect></Response>';
    };
    app.routes['/before-pay'] = async (p) => {
      await env.client.calls(p.CallSid).recordings('Twilio.CURRENT').update({ status: 'paused' });
      return '<Response><Pay chargeAmount="5.00" action="/after-pay"/></Response>';
    };
    app.routes['/after-pay'] = '<Response><Say>Done</Say></Response>';
    await env.client.calls.create({ to: '+12025550181', from: OWNED_NUMBER, url: `${app.url}/pay-call` });
    await until(() => sids.recording !== undefined);
    await env.sandbox.settled();
    const callSid = sids.call as string;
    const started = await env.client.recordings(sids.recording as string).fetch();
    expect([started.source, started.channels]).toEqual(['StartCallRecordingAPI', 1]);

    const walk = await transcript(callSid);
    expect(walk.recordingEvents.map((e) => e.status)).toEqual(['in-progress', 'paused', 'completed']);
    expect(walk.recordingEvents.every((e) => e.recordingSid === started.sid)).toBe(true);
    const payIndex = walk.steps.findIndex((s) => s.verb === 'Pay');
    expect(walk.recordingEvents[1].afterStep).toBeLessThanOrEqual(payIndex);

    const fetched = await env.client.recordings(started.sid).fetch();
    expect([fetched.status, fetched.callSid]).toEqual(['completed', callSid]);
    expect((await env.client.recordings.list({ callSid })).map((r) => r.sid)).toEqual([started.sid]);
    expect((await env.client.calls(callSid).recordings.list()).map((r) => r.sid)).toEqual([started.sid]);
  });

  it('errors: no active recording, a finished call, an unknown recording, a bad status', async () => {
    const call = await env.client.calls.create({ to: '+12025550182', from: OWNED_NUMBER, twiml: '<Response/>' });
    await env.sandbox.settled();
    const noCurrent = await restError(env.client.calls(call.sid).recordings('Twilio.CURRENT').update({ status: 'paused' }));
    expect([noCurrent.status, noCurrent.code]).toEqual([404, 20404]);
    const ended = await restError(env.client.calls(call.sid).recordings.create());
    expect([ended.status, ended.code]).toEqual([400, 21220]);
    const unknown = await restError(env.client.recordings(`RE${'0'.repeat(32)}`).fetch());
    expect([unknown.status, unknown.code]).toEqual([404, 20404]);
  });
});
