import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { callApi } from '../support/http';
import { startOwnStack, type OwnStack } from '../support/own-stack';
import { callNumber } from '../support/sandbox-call';
import { bundledScript, removeBundle } from '../support/script-bundle';
import { runCommand } from '../support/run-command';
import { functionsEnv, TEST_PHONE_NUMBER } from '../support/stack';
import { eventually } from '../support/wait';
import { match } from '../support/match';

const TEAM = '+12025550166';
const STAFF = '+12025550167';
const CALLER = '+12025550168';
const PATIENT = '+12025550169';
const DAY_MS = 24 * 3_600_000;

/** Everything the process writes to the console while `work` runs: the in-process Functions server's log included. */
async function consoleDuring<T>(work: () => Promise<T>): Promise<{ result: T; output: string }> {
  const lines: string[] = [];
  const spies = (['log', 'info', 'warn', 'error'] as const).map((method) =>
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' '))),
  );
  try {
    return { result: await work(), output: lines.join('\n') };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

// Own stack: PHI_MODE=true with staff numbers for voicemails and forwards.
describe('PHI_MODE=true, end to end', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack({ PHI_MODE: 'true', VOICEMAIL_NOTIFY_TO: TEAM, FORWARD_TO: STAFF, ALLOWED_COUNTRIES: 'US' });
  });
  afterAll(() => own.close());

  it('a transcribed voicemail: the staff text holds a link, not the transcript or the caller; the log holds neither', async () => {
    const said = 'My chest hurts since Tuesday.\nPlease call me back about the biopsy results';
    const { result: walk, output } = await consoleDuring(async () => {
      const call = await callNumber(own.sandbox.url, {
        from: CALLER,
        to: TEST_PHONE_NUMBER,
        inputs: [{ digits: '2' }],
        recording: { durationSeconds: 9, transcription: said },
      });
      await eventually(
        () => own.client.messages.list({ to: TEAM }),
        (list) => list.length > 0,
      );
      await own.sandbox.settled();
      return call;
    });
    const [notice] = await own.client.messages.list({ to: TEAM });
    expect(notice.body).toBe(`New voicemail (9s). Listen and read it at ${own.functions.url}/voice/voicemails`);
    expect(output).toContain(`"event":"voicemail_notified"`); // the capture sees the Functions' log
    for (const word of ['chest', 'biopsy', CALLER]) {
      expect(notice.body).not.toContain(word);
      expect(output).not.toContain(word);
    }
    // The link works for whoever holds the bearer token, and shows the voicemail in full.
    const listed = (await callApi(`${own.functions.url}/voice/voicemails`)).json as { voicemails: Array<Record<string, unknown>> };
    expect(listed.voicemails).toContainEqual(
      match.objectContaining({ recordingSid: walk.recordings[0].sid, from: CALLER, transcription: { status: 'completed', text: said } }),
    );
    // Sync keeps it 3 days, not 30.
    const item = await own.client.sync.v1.services('default').syncMaps('voicemails').syncMapItems(walk.recordings[0].sid).fetch();
    expect(item.dateExpires.getTime() - item.dateUpdated.getTime()).toBe(3 * DAY_MS);
  });

  it('an inbound text forwarded to staff: the forward holds a link to GET /sms/inbox, not the body, sender or media', async () => {
    const body = 'Is my HIV test back yet?';
    const { result: text, output } = await consoleDuring(async () => {
      const response = await fetch(`${own.sandbox.url}/_sandbox/phone/sms`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: PATIENT, to: TEST_PHONE_NUMBER, body, mediaUrls: ['https://media.example/rash.png'] }),
      });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as { messageSid: string };
      await own.sandbox.settled();
      return answer;
    });
    const forwards = await eventually(
      () => own.client.messages.list({ to: STAFF }),
      (list) => list.length > 0,
    );
    expect(forwards.map((m) => m.body)).toEqual([`New message received. Read it at ${own.functions.url}/sms/inbox?sid=${text.messageSid}`]);
    expect(forwards[0].numMedia).toBe('0');
    for (const word of ['HIV', PATIENT, 'rash']) expect(output).not.toContain(word);
    const kept = await callApi(`${own.functions.url}/sms/inbox?sid=${text.messageSid}`);
    expect(kept.status).toBe(200);
    expect(kept.json).toEqual({
      message: match.objectContaining({
        sid: text.messageSid,
        from: PATIENT,
        body,
        media: [match.objectContaining({ url: 'https://media.example/rash.png' })],
      }),
    });
    expect((await callApi(`${own.functions.url}/sms/inbox?sid=${text.messageSid}`, { token: null })).status).toBe(401);
  });
});

describe('npm run doctor with PHI_MODE=true', () => {
  let own: OwnStack;
  let bundle: string;
  beforeAll(async () => {
    [own, bundle] = await Promise.all([startOwnStack(), bundledScript('doctor')]);
  });
  afterAll(async () => {
    removeBundle(bundle);
    await own.close();
  });

  it('lists the products that are not HIPAA eligible and the settings that break PHI mode', async () => {
    const env = {
      ...functionsEnv(own.sandbox),
      PHI_MODE: 'true',
      WHATSAPP_FROM: TEST_PHONE_NUMBER,
      VERIFY_CHANNELS: 'sms,call,email',
      ALLOWED_COUNTRIES: 'US,GB',
      FORWARD_TO: TEAM,
    };
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'doctor-phi-')), '.env');
    writeFileSync(
      file,
      Object.entries(env)
        .map(([name, value]) => `${name}=${value}`)
        .join('\n'),
    );
    const run = await runCommand(process.execPath, [bundle, own.functions.url, '--env-file', file]);
    expect(run.output).toMatch(/PROBLEM {2}PHI_MODE: WhatsApp is on \(WHATSAPP_FROM\): WhatsApp is not HIPAA eligible/);
    expect(run.output).toMatch(/PROBLEM {2}PHI_MODE: VERIFY_CHANNELS offers email: Verify is HIPAA eligible for SMS, Voice and Push only/);
    expect(run.output).toMatch(/PROBLEM {2}PHI_MODE: ALLOWED_COUNTRIES allows GB: HIPAA Voice and SMS traffic is limited to US area codes/);
    expect(run.output).toMatch(/ok {7}PHI_MODE: FORWARD_TO: staff texts carry a link to a bearer route/);
    expect(run.code).toBe(1);
  }, 30_000);
});
