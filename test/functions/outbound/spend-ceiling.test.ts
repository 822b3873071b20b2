import { callApi } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { callNumber, heard } from '../../support/sandbox-call';
import { TEST_PHONE_NUMBER } from '../../support/stack';
import { eventually } from '../../support/wait';
import { match } from '../../support/match';

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

// Own sandbox: forwards and voicemail notices are staff sends an outsider causes; they spend the same hourly ceiling.
// A budget other than the first describe's: an instance remembers a spent ceiling per Sync service name and budget.
describe('forwards and voicemail notices spend the spend ceiling (PAID_ACTIONS_PER_HOUR=4)', () => {
  const BUDGET = 4;
  const STAFF = '+12025550181';
  const ALERTS = '+12025550182';
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack({
      PAID_ACTIONS_PER_HOUR: String(BUDGET),
      FORWARD_TO: STAFF,
      VOICEMAIL_NOTIFY_TO: STAFF,
      ALERT_SMS_TO: ALERTS,
    });
  });
  afterAll(() => own.close());

  const text = async (from: string, body: string) => {
    const response = await fetch(`${own.sandbox.url}/_sandbox/phone/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from, to: TEST_PHONE_NUMBER, body }),
    });
    return (await response.json()) as PhoneAnswer & { messageSid: string };
  };

  it('forwards exactly the budget of N+5 texts, keeps all N+5 in the inbox, counts the skipped and tells ALERT_SMS_TO once', async () => {
    const sent = [];
    for (let index = 0; index < BUDGET + 5; index++) sent.push(await text(`+1202555012${index}`, `Question ${index}`));
    const forwards = sent.flatMap((answer) => answer.replies.filter((reply) => reply.to === STAFF));
    expect(forwards).toHaveLength(BUDGET);
    for (const { messageSid } of sent) {
      const kept = await callApi(`${own.functions.url}/sms/inbox?sid=${messageSid}`);
      expect(kept.status).toBe(200);
    }
    const stats = (await callApi(`${own.functions.url}/sms/stats`)).json as { staffNoticesSkipped: { forwards: number } };
    expect(stats.staffNoticesSkipped.forwards).toBe(BUDGET + 5 - forwards.length);
    await own.sandbox.settled();
    const alerts = await own.client.messages.list({ to: ALERTS });
    expect(alerts.map((message) => message.body)).toEqual([match.stringMatching(/^Spend ceiling reached: PAID_ACTIONS_PER_HOUR \(4\)/)]);
  });

  it('keeps a voicemail whose notice the spent ceiling skips, and counts it', async () => {
    const walk = await callNumber(own.sandbox.url, {
      from: '+12025550131',
      to: TEST_PHONE_NUMBER,
      inputs: [{ digits: '2' }],
      recording: { durationSeconds: 5, transcription: 'Call me.' },
    });
    const [recording] = walk.recordings;
    const voicemails = async () =>
      ((await callApi(`${own.functions.url}/voice/voicemails`)).json as { voicemails: Array<{ recordingSid: string }> }).voicemails;
    await eventually(voicemails, (list) => list.some((voicemail) => voicemail.recordingSid === recording.sid));
    const skipped = async () =>
      ((await callApi(`${own.functions.url}/sms/stats`)).json as { staffNoticesSkipped: { voicemailNotices: number } }).staffNoticesSkipped;
    await eventually(skipped, (counts) => counts.voicemailNotices > 0);
    expect((await own.client.messages.list({ to: STAFF })).filter((message) => message.body.includes('Call me.'))).toEqual([]);
  });
});
