import { callApi, type HttpResult } from '../../support/http';
import { lastRequestSeq } from '../../support/sandbox-requests';
import { startOwnStack, type OwnStack } from '../../support/own-stack';

interface Listed {
  id: string;
  name: string;
  state: string;
  progress: { total: number; pending: number };
  plan: { mps: number };
  stopsWithin24h: number;
}
interface ListAnswer {
  campaigns: Listed[];
  nextCursor?: string;
}

// Own sandbox: the list holds every campaign created in it, so only this file's are there.
describe('GET /campaigns/status with no id: the newest campaigns first, from an index kept at creation', () => {
  let own: OwnStack;
  const created: string[] = [];
  beforeAll(async () => {
    own = await startOwnStack({ ALLOWED_COUNTRIES: '' });
    for (const name of ['first', 'second', 'third']) {
      const answer = await callApi(`${own.functions.url}/campaigns`, { method: 'POST', body: { name, body: 'Hello {{name}}' } });
      expect(answer.status).toBe(201);
      created.push((answer.json as { id: string }).id);
    }
  });
  afterAll(() => own.close());

  const list = (query: string): Promise<HttpResult> => callApi(`${own.functions.url}/campaigns/status${query}`);
  const syncRequests = async (query: string): Promise<number> => {
    const before = await lastRequestSeq(own.sandbox.url);
    expect((await list(query)).status).toBe(200);
    await own.sandbox.settled();
    return (await lastRequestSeq(own.sandbox.url)) - before;
  };

  it('pages newest first, each campaign as /campaigns/status answers it', async () => {
    const first = (await list('?limit=2')).json as ListAnswer;
    expect(first.campaigns.map((campaign) => campaign.name)).toEqual(['third', 'second']);
    expect(first.campaigns.map((campaign) => campaign.id)).toEqual([created[2], created[1]]);
    const status = (await callApi(`${own.functions.url}/campaigns/status?id=${created[2]}`)).json as Listed;
    expect(first.campaigns[0]).toEqual(status);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await list(`?limit=2&cursor=${encodeURIComponent(first.nextCursor ?? '')}`)).json as ListAnswer;
    expect(second.campaigns.map((campaign) => campaign.name)).toEqual(['first']);
    expect(second.nextCursor).toBeUndefined();
    expect(((await list('')).json as ListAnswer).campaigns.map((campaign) => campaign.name)).toEqual(['third', 'second', 'first']);
  });

  it('costs one index page and each listed campaign, however many campaigns exist', async () => {
    const two = await syncRequests('?limit=2');
    for (const name of ['fourth', 'fifth', 'sixth']) {
      expect((await callApi(`${own.functions.url}/campaigns`, { method: 'POST', body: { name, body: 'Hi' } })).status).toBe(201);
    }
    expect(await syncRequests('?limit=2')).toBe(two);
    // The index page, then per campaign its record and its 8 counter shards.
    expect(two).toBe(1 + 2 * 9);
  });

  it('refuses a limit outside 1 to 20, a cursor it did not give (400) and a missing token (401)', async () => {
    for (const query of ['?limit=0', '?limit=21', '?cursor=nope', `?cursor=${encodeURIComponent('2026-01-01T00:00:00.000Z:x')}`]) {
      const refused = await list(query);
      expect([refused.status, (refused.json as { error: { code: string } }).error.code]).toEqual([400, 'invalid_parameter']);
    }
    expect((await callApi(`${own.functions.url}/campaigns/status`, { token: null })).status).toBe(401);
  });
});
