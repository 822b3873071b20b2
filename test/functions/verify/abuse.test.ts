import { callApi, callFromPage } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { inParallel } from '../../support/wait';

interface SyncStats {
  writes: number;
}

// Own sandbox: Sync writes and Verify limits are counted per account.
describe('/verify/* under abuse', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack({ VERIFY_CHANNELS: 'sms,email', VERIFY_MAX_SENDS: '3' });
  });
  afterAll(() => own.close());

  const start = (body: Record<string, unknown>, origin?: string) =>
    callFromPage(`${own.functions.url}/verify/start`, body, origin ? { origin } : {});
  const code = (result: { json: unknown }) => (result.json as { error?: { code: string } }).error?.code;
  const syncWrites = async () => ((await (await fetch(`${own.sandbox.url}/_sandbox/sync/stats`)).json()) as SyncStats).writes;

  it('refuses an address whose domain has a "#", "/" or "?" in one request, and serves one with "#" in its local part (case 4)', async () => {
    const refusedFrom = await syncWrites();
    for (const to of ['loop@example.com#x', 'loop@example.com/x', 'loop@example.com?x']) {
      expect(code(await start({ to, channel: 'email' }))).toBe('invalid_email');
    }
    // At most the refusal counters' one flush (see case 6), never a loop.
    expect((await syncWrites()) - refusedFrom).toBeLessThanOrEqual(2);
    const before = await syncWrites();
    expect((await start({ to: 'loop#x/y?z@example.com', channel: 'email' })).status).toBe(200);
    expect((await syncWrites()) - before).toBeLessThan(10);
  });

  it('counts spellings of one mailbox as one destination (case 5)', async () => {
    const spellings = ['victim+1@example.com', 'Victim@Example.com', '"victim"@example.com', 'victim+2@example.com'];
    const results = [];
    for (const to of spellings) results.push(await start({ to, channel: 'email' }));
    expect(results.map((result) => result.status)).toEqual([200, 200, 200, 429]);
    const gmail = ['v.i.c.t.i.m@gmail.com', 'victim@googlemail.com', 'vic.tim+x@gmail.com', 'victim@gmail.com'];
    const gmailResults = [];
    for (const to of gmail) gmailResults.push((await start({ to, channel: 'email' })).status);
    expect(gmailResults).toEqual([200, 200, 200, 429]);
  });

  it('refuses 200 requests from a foreign page without paying a Sync write for each (case 6)', async () => {
    const before = await syncWrites();
    const refused = await inParallel(
      Array.from({ length: 200 }, (_, i) => i),
      20,
      () => start({ to: '+12025550123' }, 'https://evil.example'),
    );
    expect(new Set(refused.map(code))).toEqual(new Set(['origin_not_allowed']));
    expect((await syncWrites()) - before).toBeLessThanOrEqual(2);
    const stats = await callApi(`${own.functions.url}/verify/stats`);
    expect(stats.json).toMatchObject({ today: { refused: { origin_not_allowed: 200 } } });
  });
});
