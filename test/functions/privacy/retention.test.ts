import type { SweepCounts } from '../../../src/lib/retention/sweep';
import { callApi } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { callNumber } from '../../support/sandbox-call';
import { TEST_PHONE_NUMBER } from '../../support/stack';
import { textFromPhone } from '../../support/sandbox-phone';

interface Report {
  deleted: SweepCounts;
  total: SweepCounts;
  done: boolean;
  cursor?: string;
}

const DAY_SECONDS = 24 * 3600;

/** Texts our number from `from` through the own sandbox's phone (signed webhook, inbox kept). */
async function text(own: OwnStack, from: string, body: string, mediaUrls: string[] = []): Promise<void> {
  await textFromPhone(from, body, { sandboxUrl: own.sandbox.url, mediaUrls });
}

/** Leaves a voicemail (menu option 2) from `from`: a call, a recording, its transcription. */
async function voicemail(own: OwnStack, from: string, words: string): Promise<void> {
  await callNumber(own.sandbox.url, {
    from,
    to: TEST_PHONE_NUMBER,
    inputs: [{ digits: '2' }],
    recording: { durationSeconds: 4, transcription: words },
  });
}

async function advanceDays(own: OwnStack, days: number): Promise<void> {
  const response = await fetch(`${own.sandbox.url}/_sandbox/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceSeconds: days * DAY_SECONDS }),
  });
  expect(response.status).toBe(200);
  await own.sandbox.settled();
}

/** Every item of every Sync map of the service, as `map/key → data`. */
async function syncItems(own: OwnStack): Promise<Array<{ map: string; key: string; data: unknown }>> {
  const service = own.client.sync.v1.services('default');
  const maps = await service.syncMaps.list();
  const items = await Promise.all(
    maps.map(async (map) =>
      (await service.syncMaps(map.sid).syncMapItems.list()).map((item) => ({
        map: map.uniqueName,
        key: item.key,
        data: item.data as unknown,
      })),
    ),
  );
  return items.flat();
}

/** Calls a sweep route until it answers done; every call's answer, in order. */
async function untilDone(url: string, body: Record<string, unknown>): Promise<Report[]> {
  const reports: Report[] = [];
  for (let call = 0; call < 100; call += 1) {
    const result = await callApi(url, { method: 'POST', body });
    expect(result.status).toBe(200);
    const report = result.json as Report;
    reports.push(report);
    if (report.done) return reports;
  }
  throw new Error('the sweep never finished');
}

const sum = (reports: Report[], kind: keyof SweepCounts) => reports.reduce((n, report) => n + report.deleted[kind], 0);

// Own sandbox: the test moves its clock.
describe('POST /retention/run', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack({
      RETENTION_DAYS_RECORDINGS: '7',
      RETENTION_DAYS_TRANSCRIPTIONS: '7',
      RETENTION_DAYS_MESSAGES: '7',
      RETENTION_DAYS_MEDIA: '7',
      RETENTION_DAYS_RECORDS: '7',
    });
  });
  afterAll(() => own.close());

  it('deletes exactly what is older than each limit, in bounded batches, resuming from its cursor', async () => {
    // Old: three texts (one with a picture) and two voicemails.
    await text(own, '+12025550101', 'old one', ['https://example.com/old.jpg']);
    await text(own, '+12025550102', 'old two');
    await text(own, '+12025550103', 'old three');
    await voicemail(own, '+12025550104', 'old voicemail one');
    await voicemail(own, '+12025550105', 'old voicemail two');
    await own.sandbox.settled();
    const account = own.client.api.v2010.account;
    const oldMessages = (await account.messages.list()).map((m) => m.sid);
    const oldRecordings = (await account.recordings.list()).map((r) => r.sid);
    const oldTranscriptions = (await account.transcriptions.list()).map((t) => t.sid);
    expect(oldMessages).toHaveLength(3);
    expect(oldRecordings).toHaveLength(2);
    expect(oldTranscriptions).toHaveLength(2);
    const dated = /^(inbox|messages|voicemails|calls)(-\d+)?$/;
    const oldRecords = (await syncItems(own)).filter((item) => dated.test(item.map)).map((item) => `${item.map}/${item.key}`);
    expect(oldRecords.filter((record) => record.startsWith('inbox'))).toHaveLength(3);
    expect(oldRecords.filter((record) => record.startsWith('voicemails'))).toHaveLength(2);

    // Eight days later: new ones, which must stay.
    await advanceDays(own, 8);
    await text(own, '+12025550106', 'new one', ['https://example.com/new.jpg']);
    await voicemail(own, '+12025550107', 'new voicemail');
    await own.sandbox.settled();

    // A stop after one small batch, then the rest: two items per call needs several calls.
    const first = await callApi(`${own.functions.url}/retention/run?limit=2`, { method: 'POST' });
    expect(first.json).toMatchObject({ done: false });
    expect(typeof (first.json as Report).cursor).toBe('string');
    const rest = await untilDone(`${own.functions.url}/retention/run?limit=2`, {});
    const reports = [first.json as Report, ...rest];
    expect(reports.length).toBeGreaterThan(3);

    expect(sum(reports, 'messages')).toBe(3);
    expect(sum(reports, 'media')).toBe(1);
    expect(sum(reports, 'recordings')).toBe(2);
    expect(sum(reports, 'transcriptions')).toBe(2);
    expect(sum(reports, 'records')).toBe(oldRecords.length);
    expect(reports.at(-1)!.total).toMatchObject({ messages: 3, media: 1, recordings: 2, transcriptions: 2, records: oldRecords.length });

    const left = {
      messages: (await account.messages.list()).map((m) => m.sid),
      recordings: (await account.recordings.list()).map((r) => r.sid),
      transcriptions: (await account.transcriptions.list()).map((t) => t.sid),
    };
    expect(left.messages).toHaveLength(1);
    expect(left.messages.some((sid) => oldMessages.includes(sid))).toBe(false);
    expect(left.recordings).toHaveLength(1);
    expect(left.recordings.some((sid) => oldRecordings.includes(sid))).toBe(false);
    expect(left.transcriptions).toHaveLength(1);
    expect(left.transcriptions.some((sid) => oldTranscriptions.includes(sid))).toBe(false);
    expect(await account.messages(left.messages[0]).media.list()).toHaveLength(1);

    const items = await syncItems(own);
    expect(items.filter((item) => oldRecords.includes(`${item.map}/${item.key}`))).toEqual([]);
    expect(items.filter((item) => item.map.startsWith('inbox')).map((item) => (item.data as { body: string }).body)).toEqual(['new one']);
    expect(items.filter((item) => item.map === 'voicemails')).toHaveLength(1);
    expect(items.filter((item) => item.map === 'privacy-sweeps')).toEqual([]);

    // A new sweep finds nothing more to delete.
    const again = await untilDone(`${own.functions.url}/retention/run`, {});
    expect(again.at(-1)!.total).toMatchObject({ messages: 0, media: 0, recordings: 0, transcriptions: 0, records: 0 });
  });
});

// Own sandbox: erasure is checked against everything the sandbox and Sync hold.
describe('POST /privacy/erase', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack();
  });
  afterAll(() => own.close());

  it('leaves nothing of the number in Twilio or Sync but its consent record, over several bounded calls', async () => {
    const person = '+12025550131';
    const other = '+12025550132';
    const sent = await callApi(`${own.functions.url}/sms/send`, {
      method: 'POST',
      body: { to: person, body: 'Your appointment is at 3pm' },
    });
    expect(sent.status).toBe(200);
    await text(own, person, 'Can I move it?', ['https://example.com/scan.jpg']);
    await voicemail(own, person, 'please call me about my results');
    // Ambiguous: answered once with how to opt out, and remembered by number for a week (opt-out-clarified).
    await text(own, person, 'no more');
    await text(own, person, 'STOP');
    await text(own, other, 'Hello from someone else');
    await own.sandbox.settled();

    const account = own.client.api.v2010.account;
    const ofPerson = async () => ({
      messages: [...(await account.messages.list({ to: person })), ...(await account.messages.list({ from: person }))].length,
      calls: [...(await account.calls.list({ to: person })), ...(await account.calls.list({ from: person }))].length,
      recordings: (await account.recordings.list()).length,
      transcriptions: (await account.transcriptions.list()).length,
      sync: (await syncItems(own)).filter((item) => JSON.stringify(item).includes(person)).map((item) => item.map),
    });
    const before = await ofPerson();
    expect(before.messages).toBe(5);
    expect(before.sync.some((map) => map.startsWith('opt-out-clarified'))).toBe(true);
    expect(before.calls).toBe(1);
    expect(before.recordings).toBe(1);
    expect(before.transcriptions).toBe(1);
    expect(before.sync.some((map) => map.startsWith('inbox'))).toBe(true);
    expect(before.sync).toContain('voicemails');

    const reports = await untilDone(`${own.functions.url}/privacy/erase`, { number: person, limit: 2 });
    expect(reports.length).toBeGreaterThan(2);
    expect(reports.at(-1)!.total).toMatchObject({ messages: 5, media: 1, calls: 1, recordings: 1, transcriptions: 1 });

    const after = await ofPerson();
    // What the law requires to be kept: the consent record (the opt-out) and its history (the STOP).
    expect({ ...after, sync: after.sync.map((map) => map.replace(/-\d+$/, '')).sort() }).toEqual({
      messages: 0,
      calls: 0,
      recordings: 0,
      transcriptions: 0,
      sync: ['consent-history', 'optouts'],
    });
    const consent = await callApi(`${own.functions.url}/consent?number=${encodeURIComponent(person)}`);
    expect(consent.json).toMatchObject({ channels: { sms: { optedOut: true } } });

    // The other person's records stay.
    expect(await account.messages.list({ from: other })).toHaveLength(1);
    expect((await syncItems(own)).filter((item) => JSON.stringify(item).includes(other)).length).toBeGreaterThan(0);
  });
});
