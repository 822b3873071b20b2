import { ACCOUNT_SID, AUTH_TOKEN, OWNED_NUMBER, control, startTestSandbox, type TestSandbox } from './helpers';

const AUTH = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;
let env: TestSandbox;

beforeAll(async () => {
  env = await startTestSandbox();
});
afterAll(() => env.sandbox.close());

describe("a Recording's media, as Twilio serves it (https://www.twilio.com/docs/api/rest/recording)", () => {
  it('answers .mp3 as audio/mpeg and .wav (or no extension) as audio/x-wav, behind the account credentials', async () => {
    const callee = '+12025550191';
    await control(env.sandbox, 'POST', '/phone/callee', { number: callee, recording: { durationSeconds: 2, transcription: 'hello' } });
    await env.client.calls.create({ to: callee, from: OWNED_NUMBER, twiml: '<Response><Record/></Response>' });
    await env.sandbox.settled();
    const [recording] = await env.client.recordings.list();
    const base = `${env.sandbox.url}/api/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${recording.sid}`;

    const mp3 = await fetch(`${base}.mp3`, { headers: { Authorization: AUTH } });
    expect([mp3.status, mp3.headers.get('content-type')]).toEqual([200, 'audio/mpeg']);
    const mp3Bytes = Buffer.from(await mp3.arrayBuffer());
    expect([mp3Bytes[0], mp3Bytes[1] & 0xe0]).toEqual([0xff, 0xe0]); // MPEG frame sync
    expect(Number(mp3.headers.get('content-length'))).toBe(mp3Bytes.length);

    for (const url of [`${base}.wav`, base]) {
      const wav = await fetch(url, { headers: { Authorization: AUTH } });
      expect([wav.status, wav.headers.get('content-type')]).toEqual([200, 'audio/x-wav']);
      const bytes = Buffer.from(await wav.arrayBuffer());
      expect([bytes.toString('ascii', 0, 4), bytes.toString('ascii', 8, 12)]).toEqual(['RIFF', 'WAVE']);
      expect(bytes.readUInt32LE(40)).toBe(2 * 8000); // two seconds of 8 kHz 8-bit mono
    }

    expect((await fetch(`${base}.mp3`)).status).toBe(401);
    expect((await fetch(`${base.replace(recording.sid, `RE${'0'.repeat(32)}`)}.mp3`, { headers: { Authorization: AUTH } })).status).toBe(
      404,
    );
  });
});
