import { callApi, type HttpResult } from '../../support/http';
import { lastRequestSeq } from '../../support/sandbox-requests';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { readSettings } from '../../../src/lib/config/settings';
import { Deadline } from '../../../src/lib/runtime/deadline';
import { createStores } from '../../../src/lib/stores';
import { ownChangeEvent } from '../../../src/lib/stores/consent-history';
import { textFromPhone } from '../../support/sandbox-phone';

interface ChangeCounts {
  total: number;
  channels: Record<string, number>;
  methods: Record<string, number>;
}
interface DaysAnswer {
  methods: string[];
  days: Array<{ day: string; optOut: ChangeCounts; optIn: ChangeCounts }>;
}

// Own sandbox: the day counters count every change recorded in it, so only this file's are there.
describe('GET /consent?days=: opt-outs and opt-ins per day by channel and method, from counters', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack({ ALLOWED_COUNTRIES: '' });
  });
  afterAll(() => own.close());

  const api = (path: string, body?: Record<string, unknown>): Promise<HttpResult> =>
    callApi(`${own.functions.url}${path}`, body ? { method: 'POST', body } : {});
  const text = (from: string, body: string) => textFromPhone(from, body, { sandboxUrl: own.sandbox.url });
  const today = async () => {
    const answer = await api('/consent?days=1');
    expect(answer.status).toBe(200);
    return (answer.json as DaysAnswer).days[0];
  };
  const requestCount = async (path: string): Promise<number> => {
    const before = await lastRequestSeq(own.sandbox.url);
    expect((await api(path)).status).toBe(200);
    await own.sandbox.settled();
    return (await lastRequestSeq(own.sandbox.url)) - before;
  };

  it('counts each change once, by channel and method, the day it is recorded', async () => {
    await text('+12065550201', 'STOP');
    await text('+12065550201', 'START');
    await text('+12065550202', 'please stop texting me');
    const optIn = {
      number: '+12065550203',
      channel: 'whatsapp',
      purpose: 'marketing',
      source: 'web-form:signup',
      wording: 'I agree to marketing messages.',
      at: '2026-01-05T10:00:00Z',
    };
    expect((await api('/consent', optIn)).status).toBe(201);
    expect((await api('/consent', optIn)).status).toBe(201); // the same event again: recorded, and counted, once
    expect((await api('/consent', { ...optIn, change: 'opt-out', channel: 'voice', purpose: 'transactional' })).status).toBe(201);
    await own.sandbox.settled();

    const day = await today();
    expect(day.day).toBe(new Date().toISOString().slice(0, 10));
    expect(day.optOut.total).toBe(3);
    expect(day.optOut.channels).toEqual({ sms: 2, whatsapp: 0, voice: 1 });
    expect(day.optOut.methods).toEqual({ keyword: 1, words: 1, keypad: 0, 'twilio-21610': 0, api: 1, campaign: 0 });
    expect(day.optIn.total).toBe(2);
    expect(day.optIn.channels).toEqual({ sms: 1, whatsapp: 1, voice: 0 });
    expect(day.optIn.methods).toEqual({ keyword: 1, words: 0, keypad: 0, 'twilio-21610': 0, api: 1, campaign: 0 });
  });

  it('answers the last N days oldest first, today last, days with no change as 0', async () => {
    // A change recorded three days ago (as a store would have counted it then).
    const stores = createStores(own.client, readSettings({}), Deadline.in(30_000));
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000);
    const event = ownChangeEvent('sms', 'opt-out', 'twilio-21610', threeDaysAgo, 'transactional', threeDaysAgo);
    await stores.consentHistory.append('+12065550204', event, { method: 'twilio-21610' });
    const answer = (await api('/consent?days=5')).json as DaysAnswer;
    expect(answer.days.map((day) => day.day)).toEqual(
      [4, 3, 2, 1, 0].map((back) => new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10)),
    );
    expect(answer.days.map((day) => day.optOut.total)).toEqual([0, 1, 0, 0, 3]);
    expect(answer.days[1].optOut.methods['twilio-21610']).toBe(1);
    expect(((await api('/consent')).json as DaysAnswer).days).toHaveLength(14);
  });

  it('reads one Sync page per counter shard, however many days are asked for', async () => {
    expect(await requestCount('/consent?days=1')).toBe(await requestCount('/consent?days=90'));
    expect(await requestCount('/consent?days=90')).toBe(8);
  });

  it('refuses days outside 1 to 90 (400) and a missing token (401)', async () => {
    for (const days of ['0', '91', 'x']) {
      const refused = await api(`/consent?days=${days}`);
      expect([refused.status, (refused.json as { error: { code: string } }).error.code]).toEqual([400, 'invalid_parameter']);
    }
    expect((await callApi(`${own.functions.url}/consent`, { token: null })).status).toBe(401);
  });
});
