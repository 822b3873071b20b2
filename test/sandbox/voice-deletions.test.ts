import { ACCOUNT_SID, AUTH_TOKEN, CUSTOMER, OWNED_NUMBER, control, restError, startTestSandbox, type TestSandbox } from './helpers';

const DAY_MS = 24 * 3600 * 1000;
const AUTH = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;
let env: TestSandbox;

beforeAll(async () => {
  env = await startTestSandbox();
});
afterAll(() => env.sandbox.close());

/** A completed call that left a transcribed recording; answers the call's SID. */
async function recordedCall(callee: string, words: string): Promise<string> {
  await control(env.sandbox, 'POST', '/phone/callee', { number: callee, recording: { durationSeconds: 3, transcription: words } });
  const call = await env.client.calls.create({ to: callee, from: OWNED_NUMBER, twiml: '<Response><Record transcribe="true"/></Response>' });
  await env.sandbox.settled();
  return call.sid;
}

describe('Recordings, Transcriptions and Calls: listed by date and deleted as Twilio does (twilio-node)', () => {
  it('lists recordings by DateCreated and deletes recordings, transcriptions and calls (204, then 20404)', async () => {
    const oldCall = await recordedCall('+12025550181', 'old words');
    await control(env.sandbox, 'POST', '/clock', { advanceSeconds: 10 * 24 * 3600 });
    const newCall = await recordedCall('+12025550182', 'new words');
    const account = env.client.api.v2010.account;

    // The date filter over plain HTTP (twilio-node inside jest sent no `DateCreated<`: see the report of this change).
    const cutoff = new Date(env.sandbox.clock.now() - 5 * DAY_MS).toISOString();
    const listed = async (filter: string) => {
      const response = await fetch(`${env.sandbox.url}/api/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings.json?${filter}=${cutoff}`, {
        headers: { Authorization: AUTH },
      });
      return ((await response.json()) as { recordings: Array<{ sid: string; call_sid: string }> }).recordings;
    };
    const old = await listed('DateCreated%3C');
    expect(old.map((r) => r.call_sid)).toEqual([oldCall]);
    expect((await listed('DateCreated%3E')).map((r) => r.call_sid)).toEqual([newCall]);

    const [transcription] = await account.recordings(old[0].sid).transcriptions.list();
    expect(transcription.transcriptionText).toBe('old words');
    expect(await account.transcriptions(transcription.sid).remove()).toBe(true);
    expect(await restError(account.transcriptions(transcription.sid).fetch())).toMatchObject({ status: 404, code: 20404 });
    expect(await account.recordings(old[0].sid).remove()).toBe(true);
    expect(await restError(account.recordings(old[0].sid).remove())).toMatchObject({ status: 404, code: 20404 });
    expect(await account.calls(oldCall).remove()).toBe(true);
    expect((await account.calls.list()).map((c) => c.sid)).toEqual([newCall]);

    // What is left: the new call, its recording and its transcription.
    expect((await account.recordings.list()).map((r) => r.callSid)).toEqual([newCall]);
    expect((await account.transcriptions.list()).map((t) => t.transcriptionText)).toEqual(['new words']);
  });

  it('refuses to delete a call still in progress: 20009', async () => {
    // https://www.twilio.com/docs/api/errors/20009 "Cannot delete this resource before it is complete".
    const slow = await startTestSandbox({ callbackDelayMs: 50 });
    try {
      const call = await slow.client.calls.create({ to: CUSTOMER, from: OWNED_NUMBER, twiml: '<Response><Pause length="1"/></Response>' });
      expect(await restError(slow.client.calls(call.sid).remove())).toMatchObject({ status: 409, code: 20009 });
      await slow.sandbox.settled();
      expect(await slow.client.calls(call.sid).remove()).toBe(true);
    } finally {
      await slow.sandbox.close();
    }
  });

  it('dates its answers by its clock (the HTTP Date header), as Twilio dates by its own', async () => {
    const response = await fetch(`${env.sandbox.url}/api/2010-04-01/Accounts/${ACCOUNT_SID}.json`, {
      headers: { Authorization: AUTH },
    });
    const date = new Date(response.headers.get('date') ?? '');
    expect(Math.abs(date.getTime() - env.sandbox.clock.now())).toBeLessThan(5_000);
    expect(date.getTime() - Date.now()).toBeGreaterThan(9 * DAY_MS);
  });
});
