// The transcription callback answers 5xx when it fails so Twilio tries it again (#rc on its URL):
// a notification Twilio may already have taken must not go out twice on that retry.
import { addFault, clearFaults } from '../../support/faults';
import { postSignedForm } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';

const TEAM = '+12025550177';
let own: OwnStack;
let quiet: jest.SpyInstance;
beforeAll(async () => {
  quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  own = await startOwnStack({ VOICEMAIL_NOTIFY_TO: TEAM });
});
afterAll(async () => {
  await own.close();
  quiet.mockRestore();
});
afterEach(() => clearFaults(own.sandbox.url));

const transcription = (recordingSid: string) => ({
  RecordingSid: recordingSid,
  CallSid: 'CA' + 'b'.repeat(32),
  From: '+12025550111',
  RecordingDuration: '7',
  RecordingUrl: 'https://api.twilio.com/recording',
  TranscriptionStatus: 'completed',
  TranscriptionText: 'Call me back',
});

describe('POST /voice/transcription retried by Twilio', () => {
  it('texts the team once when Twilio took the notification but its answer was a 500', async () => {
    await addFault(own.sandbox.url, {
      method: 'POST',
      pathPattern: 'Messages\\.json$',
      status: 500,
      code: 20500,
      carriedOut: true,
      times: 1,
    });
    const params = transcription('RE' + 'a'.repeat(32));
    const first = await postSignedForm(`${own.functions.url}/voice/transcription`, params);
    const retry = await postSignedForm(`${own.functions.url}/voice/transcription`, params);
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(await own.client.messages.list({ to: TEAM })).toHaveLength(1);
  });

  it('texts the team on the retry when the first attempt surely sent nothing (Twilio refused it before any work)', async () => {
    await addFault(own.sandbox.url, { method: 'POST', pathPattern: 'Messages\\.json$', status: 400, code: 21601, times: 1 });
    const params = transcription('RE' + 'c'.repeat(32));
    const before = (await own.client.messages.list({ to: TEAM })).length;
    await postSignedForm(`${own.functions.url}/voice/transcription`, params);
    expect(await own.client.messages.list({ to: TEAM })).toHaveLength(before);
    await postSignedForm(`${own.functions.url}/voice/transcription`, params);
    expect(await own.client.messages.list({ to: TEAM })).toHaveLength(before + 1);
  });
});
