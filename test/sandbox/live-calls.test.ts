import { CUSTOMER, OWNED_NUMBER, control, startTestSandbox, type TestSandbox } from './helpers';
import { startVoiceApp, type VoiceApp } from './voice-app';
import { match } from '../support/match';

/** A live call as `GET /_sandbox/calls/{CA}` shows it. */
interface LiveCall {
  callSid: string;
  status: string;
  live: boolean;
  prompt: { kind: string; attributes: Record<string, string>; step: number } | null;
  steps: Array<{ verb: string; text?: string; outcome?: Record<string, unknown> }>;
  recordings: Array<{ durationSeconds: number; transcriptionText: string | null }>;
  endedBy: string | null;
}

let env: TestSandbox;
let app: VoiceApp;

beforeAll(async () => {
  env = await startTestSandbox();
  app = await startVoiceApp({
    '/voice':
      '<Response><Say>Welcome.</Say><Gather numDigits="1" action="/menu"><Say>Press 2 for voicemail.</Say></Gather><Say>Goodbye.</Say></Response>',
    '/menu': (params) =>
      params.Digits === '2'
        ? '<Response><Say>Leave a message.</Say><Record maxLength="60" transcribe="true" action="/saved"/></Response>'
        : '<Response><Say>Sorry.</Say></Response>',
    '/saved': '<Response/>',
  });
  const [number] = await env.client.incomingPhoneNumbers.list({ phoneNumber: OWNED_NUMBER });
  await env.client.incomingPhoneNumbers(number.sid).update({ voiceUrl: `${app.url}/voice` });
});

afterAll(async () => {
  await env.sandbox.close();
  await app.close();
});

async function callState(sid: string): Promise<LiveCall> {
  return (await control<LiveCall>(env.sandbox, 'GET', `/calls/${sid}`)).body;
}

/** Polls the call until `ready` holds (live calls move on their own between answers). */
async function waitFor(sid: string, ready: (call: LiveCall) => boolean): Promise<LiveCall> {
  for (let i = 0; i < 400; i += 1) {
    const call = await callState(sid);
    if (ready(call)) return call;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`call ${sid} never got there: ${JSON.stringify(await callState(sid))}`);
}

describe('a live inbound call, step by step (the console’s Calls pane)', () => {
  it('waits at the Gather, takes the keys, waits at the Record, keeps the voicemail with its transcription', async () => {
    const placed = await control<LiveCall>(env.sandbox, 'POST', '/phone/call', { from: CUSTOMER, to: OWNED_NUMBER, interactive: true });
    expect(placed.status).toBe(202);
    const sid = placed.body.callSid;
    const atGather = await waitFor(sid, (c) => c.prompt?.kind === 'gather');
    expect(atGather.prompt).toMatchObject({ kind: 'gather', attributes: { numDigits: '1', action: '/menu' }, step: 1 });
    expect(atGather.steps[0]).toMatchObject({ verb: 'Say', text: 'Welcome.' });
    expect((await control(env.sandbox, 'POST', `/calls/${sid}/record`, { durationSeconds: 3 })).status).toBe(409);

    expect((await control(env.sandbox, 'POST', `/calls/${sid}/input`, { digits: '2' })).status).toBe(200);
    const atRecord = await waitFor(sid, (c) => c.prompt?.kind === 'record');
    expect(atRecord.steps.map((s) => s.verb)).toEqual(['Say', 'Gather', 'Say', 'Record']);
    expect(app.requests.find((r) => r.url.endsWith('/menu'))?.params.Digits).toBe('2');

    await control(env.sandbox, 'POST', `/calls/${sid}/record`, { durationSeconds: 7, transcription: 'Call me back' });
    const ended = await waitFor(sid, (c) => c.status === 'completed');
    expect([ended.live, ended.prompt, ended.endedBy]).toEqual([false, null, 'hangup']);
    expect(ended.recordings).toEqual([
      match.objectContaining({ durationSeconds: 7, transcriptionText: 'Call me back', transcriptionStatus: 'completed' }),
    ]);
    expect((await control(env.sandbox, 'POST', `/calls/${sid}/input`, { digits: '1' })).status).toBe(409);
    await env.sandbox.settled();
  });

  it('hangs up while waiting; a call that follows a script is not live', async () => {
    const placed = await control<LiveCall>(env.sandbox, 'POST', '/phone/call', { from: CUSTOMER, to: OWNED_NUMBER, interactive: true });
    const sid = placed.body.callSid;
    await waitFor(sid, (c) => c.prompt?.kind === 'gather');
    expect((await control(env.sandbox, 'POST', `/calls/${sid}/hangup`, {})).status).toBe(200);
    const ended = await waitFor(sid, (c) => c.status === 'completed');
    expect(ended.steps[1].outcome).toEqual({ hangup: true });
    expect((await control(env.sandbox, 'POST', `/calls/${sid}/hangup`, {})).status).toBe(409);

    const scripted = await control<LiveCall>(env.sandbox, 'POST', '/phone/call', {
      from: CUSTOMER,
      to: OWNED_NUMBER,
      inputs: [{ digits: '9' }],
    });
    expect(scripted.status).toBe(200);
    expect((await control(env.sandbox, 'POST', `/calls/${scripted.body.callSid}/input`, { digits: '1' })).body).toMatchObject({
      error: { code: 'not_live' },
    });
    await env.sandbox.settled();
  });

  it('takes silence at a Gather: the call goes on to the next verb', async () => {
    const placed = await control<LiveCall>(env.sandbox, 'POST', '/phone/call', { from: CUSTOMER, to: OWNED_NUMBER, interactive: true });
    const sid = placed.body.callSid;
    await waitFor(sid, (c) => c.prompt?.kind === 'gather');
    expect((await control(env.sandbox, 'POST', `/calls/${sid}/input`, { digits: 'x' })).status).toBe(400);
    await control(env.sandbox, 'POST', `/calls/${sid}/input`, { silence: true });
    const ended = await waitFor(sid, (c) => c.status === 'completed');
    expect(ended.steps.map((s) => s.text ?? s.verb)).toEqual(['Welcome.', 'Gather', 'Goodbye.']);
    await env.sandbox.settled();
  });
});

describe('a live outbound call rings on the console’s phone', () => {
  it('rings until the person answers, then waits at each Gather; busy and no-answer end it', async () => {
    const callee = '+12025550163';
    expect((await control(env.sandbox, 'POST', '/phone/callee', { number: callee, interactive: true })).status).toBe(200);
    const call = await env.client.calls.create({
      to: callee,
      from: OWNED_NUMBER,
      twiml: '<Response><Gather numDigits="1"><Say>Press 1 to confirm.</Say></Gather></Response>',
    });
    const ringing = await waitFor(call.sid, (c) => c.prompt?.kind === 'ring');
    expect([ringing.status, ringing.live]).toEqual(['ringing', true]);
    await control(env.sandbox, 'POST', `/calls/${call.sid}/answer`, { outcome: 'answer' });
    await waitFor(call.sid, (c) => c.prompt?.kind === 'gather' && c.status === 'in-progress');
    await control(env.sandbox, 'POST', `/calls/${call.sid}/input`, { digits: '1' });
    expect((await waitFor(call.sid, (c) => c.status === 'completed')).steps[0].outcome).toEqual({ digits: '1' });

    for (const outcome of ['busy', 'no-answer'] as const) {
      const next = await env.client.calls.create({ to: callee, from: OWNED_NUMBER, twiml: '<Response/>' });
      await waitFor(next.sid, (c) => c.prompt?.kind === 'ring');
      await control(env.sandbox, 'POST', `/calls/${next.sid}/answer`, { outcome });
      await waitFor(next.sid, (c) => c.status === outcome);
    }
    const canceled = await env.client.calls.create({ to: callee, from: OWNED_NUMBER, twiml: '<Response/>' });
    await waitFor(canceled.sid, (c) => c.prompt?.kind === 'ring');
    await env.client.calls(canceled.sid).update({ status: 'canceled' });
    await waitFor(canceled.sid, (c) => c.status === 'canceled' && !c.live);
    await env.sandbox.settled();
  });
});
