import { addFault, clearFaults, syncItems } from '../../support/faults';
import { callApi, postSignedForm } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { callNumber, heard, verbs, type CallScript } from '../../support/sandbox-call';
import { TEST_PHONE_NUMBER } from '../../support/stack';
import { eventually } from '../../support/wait';
import { match } from '../../support/match';

const TEAM = '+12025550177';

// Own sandbox: voicemails and notifications are counted per account. The shipped menu
// (src/assets/ivr-menu.private.json) is what callers walk.
describe('the IVR, walked by the sandbox phone', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack({ VOICEMAIL_NOTIFY_TO: TEAM, PAY_CONNECTOR: 'Default', IVR_MAX_RETRIES: '2' });
  });
  afterAll(() => own.close());

  let callers = 0;
  const call = (script: Partial<CallScript>) =>
    callNumber(own.sandbox.url, { from: `+1202555010${callers++ % 10}`, to: TEST_PHONE_NUMBER, ...script });
  const voicemails = async () =>
    ((await callApi(`${own.functions.url}/voice/voicemails`)).json as { voicemails: Array<Record<string, unknown>> }).voicemails;
  const notifications = () => own.client.messages.list({ to: TEAM });
  /**
   * Calls with the Record action's first write to Sync held 1.5 s, so the transcription callback
   * (which carries no duration) reaches the voicemail first.
   */
  const callWithRecordActionLate = async (script: Partial<CallScript>) => {
    await addFault(own.sandbox.url, { method: 'POST', pathPattern: syncItems('voicemails'), delayMs: 1500, times: 1 });
    try {
      const walk = await call(script);
      await own.sandbox.settled();
      return walk;
    } finally {
      await clearFaults(own.sandbox.url);
    }
  };

  it('greets and gathers by keypad and speech, with hints from the menu', async () => {
    const walk = await call({ inputs: [{ digits: '3' }] });
    const gather = walk.steps.find((step) => step.verb === 'Gather');
    expect(gather?.attributes).toMatchObject({ input: 'dtmf speech', numDigits: '1', hints: match.stringContaining('sales') });
    expect(heard(walk)[0]).toBe('Thanks for calling Acme.');
  });

  it('option 3 says the hours and returns to the menu', async () => {
    const walk = await call({ inputs: [{ digits: '3' }, { digits: '2' }], recording: { durationSeconds: 4, transcription: 'hi' } });
    expect(heard(walk)).toContain('We are open Monday to Friday, 9 AM to 5 PM.');
    expect(verbs(walk).filter((verb) => verb === 'Gather').length).toBeGreaterThanOrEqual(2);
  });

  it('chooses by speech: "sales" dials sales with a timeout, caller ID and an action', async () => {
    const walk = await call({ inputs: [{ speech: 'sales please' }], dialOutcome: 'completed' });
    const dial = walk.steps.find((step) => step.verb === 'Dial');
    expect(dial?.attributes).toMatchObject({
      timeout: '20',
      callerId: TEST_PHONE_NUMBER,
      action: match.stringContaining('/voice/dial-status'),
    });
    expect(dial?.children?.[0]).toMatchObject({ verb: 'Number', text: '+12025550199' });
    expect(walk.endedBy).toBe('hangup');
    expect(verbs(walk)).not.toContain('Record');
  });

  it.each(['busy', 'no-answer', 'failed'] as const)('a dialled option that is %s lands in voicemail, not silence', async (dialOutcome) => {
    const walk = await call({
      inputs: [{ digits: '1' }],
      dialOutcome,
      recording: { durationSeconds: 5, transcription: `Call me back (${dialOutcome})` },
    });
    expect(heard(walk)).toContain('Sorry, no one is available to take your call.');
    expect(verbs(walk)).toContain('Record');
  });

  it('option 6 rings the front desk softphone (client:front_desk): offline it goes to voicemail, online it answers', async () => {
    const offline = await call({ inputs: [{ speech: 'the front desk' }], recording: { durationSeconds: 3, transcription: 'desk?' } });
    const dial = offline.steps.find((step) => step.verb === 'Dial');
    expect(dial?.children).toEqual([{ verb: 'Client', attributes: {}, text: 'front_desk' }]);
    expect(dial?.outcome).toMatchObject({ dialCallStatus: 'no-answer', clients: 'front_desk' });
    expect(heard(offline)).toContain('Sorry, no one is available to take your call.');
    expect(verbs(offline)).toContain('Record');

    await fetch(`${own.sandbox.url}/_sandbox/voice/clients`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ identity: 'front_desk' }),
    });
    const answered = await call({ inputs: [{ digits: '6' }] });
    expect(answered.steps.find((step) => step.verb === 'Dial')?.outcome).toMatchObject({ dialCallStatus: 'completed' });
    expect(answered.endedBy).toBe('hangup');
    expect(verbs(answered)).not.toContain('Record');
  });

  it('invalid input and silence repeat the menu IVR_MAX_RETRIES times, then voicemail — never a loop', async () => {
    const walk = await call({ inputs: [{ digits: '8' }, { silence: true }, { digits: '#' }], recording: { durationSeconds: 0 } });
    expect(verbs(walk).filter((verb) => verb === 'Gather')).toHaveLength(3);
    expect(heard(walk).filter((text) => text === "Sorry, I didn't get that.")).toHaveLength(2);
    expect(heard(walk)).toContain("Sorry, we couldn't get your choice.");
    expect(verbs(walk)).toContain('Record');
    expect(walk.endedBy).not.toBe('loop-guard');
  });

  it('option 4 texts the caller and goes back to the menu', async () => {
    const walk = await call({
      from: '+12025550142',
      inputs: [{ digits: '4' }, { silence: true }, { silence: true }, { silence: true }],
      recording: { durationSeconds: 0 },
    });
    expect(heard(walk)).toContain('We have sent our address to your phone.');
    expect((await own.client.messages.list({ to: '+12025550142' })).map((m) => m.body)).toContain(
      'Acme, 1 Example Street. Reply STOP to opt out.',
    );
  });

  it('a voicemail is stored with its transcription and the team is texted once', async () => {
    const walk = await call({
      from: '+12025550111',
      inputs: [{ digits: '2' }],
      recording: { durationSeconds: 12, transcription: 'Please call me about my order.' },
    });
    const record = walk.steps.find((step) => step.verb === 'Record');
    expect(record?.attributes).toMatchObject({ playBeep: 'true', trim: 'trim-silence', transcribe: 'true', maxLength: '120' });
    const [recording] = walk.recordings;
    const voicemail = await eventually(voicemails, (list) =>
      list.some((v) => v.recordingSid === recording.sid && (v.transcription as { status: string }).status === 'completed'),
    );
    expect(voicemail.find((v) => v.recordingSid === recording.sid)).toMatchObject({
      from: '+12025550111',
      durationSeconds: 12,
      callSid: walk.callSid,
      transcription: { status: 'completed', text: 'Please call me about my order.' },
    });
    const texts = await eventually(notifications, (list) => list.some((m) => m.body.includes('Please call me about my order.')));
    expect(texts.filter((m) => m.body.includes('Please call me about my order.'))).toHaveLength(1);
    expect(texts.find((m) => m.body.includes('Please call me'))?.body).toBe(
      'Voicemail from +12025550111 (12s): "Please call me about my order."',
    );
  });

  it("a transcription's line breaks are folded to one line in the team's text, as forwarded texts are", async () => {
    const walk = await call({
      from: '+12025550113',
      inputs: [{ digits: '2' }],
      recording: { durationSeconds: 6, transcription: 'Call me back.\r\nVoicemail from +12025550199 (1s): "forged"' },
    });
    const [recording] = walk.recordings;
    const texts = await eventually(notifications, (list) => list.some((m) => m.body.includes('Call me back.')));
    expect(texts.find((m) => m.body.includes('Call me back.'))?.body).toBe(
      'Voicemail from +12025550113 (6s): "Call me back. Voicemail from +12025550199 (1s): "forged""',
    );
    expect(recording.sid).toMatch(/^RE/);
  });

  it('a transcription that arrives before the Record action: the voicemail gets its duration and link all the same', async () => {
    // The team's text takes the duration from the Recording; the Record action completes the voicemail.
    const walk = await callWithRecordActionLate({
      from: '+12025550114',
      inputs: [{ digits: '2' }],
      recording: { durationSeconds: 9, transcription: 'Before the action.' },
    });
    const [recording] = walk.recordings;
    expect((await voicemails()).find((v) => v.recordingSid === recording.sid)).toMatchObject({
      durationSeconds: 9,
      recordingUrl: match.stringContaining(`/Recordings/${recording.sid}`),
      transcription: { status: 'completed', text: 'Before the action.' },
    });
    const texts = await eventually(notifications, (list) => list.some((m) => m.body.includes('Before the action.')));
    expect(texts.filter((m) => m.body.includes('Before the action.')).map((m) => m.body)).toEqual([
      'Voicemail from +12025550114 (9s): "Before the action."',
    ]);
  });

  it('a failed transcription that arrives before the Record action: the team still gets the recording link', async () => {
    // An empty recording's transcription fails too: the Recording's duration tells them apart.
    const walk = await callWithRecordActionLate({
      from: '+12025550115',
      inputs: [{ digits: '2' }],
      recording: { durationSeconds: 8, transcription: null },
    });
    const [recording] = walk.recordings;
    const texts = await eventually(notifications, (list) => list.some((m) => m.body.includes(recording.sid)));
    expect(texts.filter((m) => m.body.includes(recording.sid)).map((m) => m.body)).toEqual([
      match.stringMatching(
        /^Voicemail from \+12025550115 \(8s\): \(no transcription\) listen: https:\/\/api\.twilio\.com\/.*Recordings\/RE/,
      ),
    ]);
    expect((await voicemails()).find((v) => v.recordingSid === recording.sid)).toMatchObject({
      durationSeconds: 8,
      transcription: { status: 'failed' },
    });
  });

  it('when transcription fails, the team gets the recording link instead', async () => {
    const walk = await call({ from: '+12025550112', inputs: [{ digits: '2' }], recording: { durationSeconds: 7, transcription: null } });
    const [recording] = walk.recordings;
    const texts = await eventually(notifications, (list) => list.some((m) => m.body.includes(recording.sid)));
    expect(texts.find((m) => m.body.includes(recording.sid))?.body).toMatch(
      /^Voicemail from \+12025550112 \(7s\): \(no transcription\) listen: https:\/\/api\.twilio\.com\/.*Recordings\/RE/,
    );
  });

  it('keeps and notifies a voicemail whose transcription arrives before the Record action', async () => {
    const recordingSid = `RE${'7'.repeat(32)}`;
    const result = await postSignedForm(`${own.functions.url}/voice/transcription`, {
      CallSid: `CA${'7'.repeat(32)}`,
      From: '+12025550113',
      RecordingSid: recordingSid,
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/AC${'0'.repeat(32)}/Recordings/${recordingSid}`,
      TranscriptionStatus: 'completed',
      TranscriptionText: 'Early transcription.',
    });
    expect(result.status).toBe(200);
    expect((await voicemails()).find((v) => v.recordingSid === recordingSid)).toMatchObject({
      from: '+12025550113',
      transcription: { status: 'completed', text: 'Early transcription.' },
    });
    expect((await notifications()).some((m) => m.body.includes('Early transcription.'))).toBe(true);
  });

  it('an empty recording is not stored as a voicemail', async () => {
    const before = (await voicemails()).length;
    const walk = await call({ inputs: [{ digits: '2' }], recording: { durationSeconds: 0 } });
    expect(verbs(walk)).toContain('Record');
    await own.sandbox.settled();
    expect(await voicemails()).toHaveLength(before);
  });

  it('billing → pay reaches <Pay> with the connector and amount, and thanks the caller', async () => {
    const walk = await call({ inputs: [{ digits: '5' }, { digits: '1' }], payResult: 'success' });
    const pay = walk.steps.find((step) => step.verb === 'Pay');
    expect(pay?.attributes).toMatchObject({
      paymentConnector: 'Default',
      chargeAmount: '25.00',
      action: match.stringContaining('/voice/pay-result'),
    });
    expect(heard(walk).some((text) => text.startsWith('Thank you, your payment was received.'))).toBe(true);
  });

  it('records inbound call statuses without going backwards', async () => {
    const walk = await call({
      inputs: [{ digits: '3' }, { silence: true }, { silence: true }, { silence: true }],
      recording: { durationSeconds: 0 },
    });
    const tracked = await eventually(
      async () => (await callApi(`${own.functions.url}/voice/calls?sid=${walk.callSid}`)).json as { status?: string },
      (c) => c.status === 'completed',
    );
    expect(tracked).toMatchObject({ sid: walk.callSid, status: 'completed' });
  });
});
