import { ensureDailySpendTrigger } from '../../../local/usage-triggers';
import { callApi, postSignedForm, type HttpResult } from '../../support/http';
import { lastRequestSeq, requestsAfter } from '../../support/sandbox-requests';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { TEST_PHONE_NUMBER } from '../../support/stack';
import type { DeliveryRecord } from '../../../sandbox';

const CUSTOMER = '+12065550141';
const OTHER = '+12065550142';

interface PhoneText {
  webhook: { status: number | null; body: string };
}

// Own stack: the pause holds every non-essential send of the Functions it runs.
describe('the kill switch: a Twilio Usage Trigger pauses non-essential sends until /usage/resume', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack({
      AUTO_REPLY: 'Thanks, we got your message.',
      OPT_OUT_REPLIES: 'ours',
      OPT_OUT_MESSAGE: 'You are unsubscribed.',
    });
  });
  afterAll(() => own.close());

  const post = (path: string, body: Record<string, unknown> = {}, token?: string | null): Promise<HttpResult> =>
    callApi(`${own.functions.url}${path}`, { method: 'POST', body, ...(token === undefined ? {} : { token }) });
  const health = async () => (await callApi(`${own.functions.url}/health`, { token: null })).json as { paused: unknown };
  const text = async (from: string, body: string): Promise<PhoneText> => {
    const response = await fetch(`${own.sandbox.url}/_sandbox/phone/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from, to: TEST_PHONE_NUMBER, body }),
    });
    return (await response.json()) as PhoneText;
  };
  const callbacksTo = async (path: string): Promise<DeliveryRecord[]> => {
    const records = (await (await fetch(`${own.sandbox.url}/_sandbox/callbacks`)).json()) as DeliveryRecord[];
    return records.filter((record) => new URL(record.url).pathname === path);
  };
  const campaign = async () => {
    const created = await post('/campaigns', {
      name: 'Reminders',
      channel: 'sms',
      kind: 'transactional',
      body: 'Sale today',
      expectedRecipients: 1,
    });
    const { id } = created.json as { id: string };
    await post('/campaigns/recipients', { id, page: 0, recipients: [{ to: OTHER }] });
    return id;
  };

  it('answers a flood of /health from one Sync read per few seconds, not one per call', async () => {
    const before = await lastRequestSeq(own.sandbox.url);
    const answers = await Promise.all(Array.from({ length: 100 }, () => health()));
    expect(answers.every((answer) => answer.paused === false)).toBe(true);
    const entries = await requestsAfter(own.sandbox.url, before);
    // One read per HEALTH_PAUSE_REUSE_MS (5 s); without the reuse it is 100 (one per call).
    expect(entries.filter((entry) => entry.host === 'sync').length).toBeLessThanOrEqual(2);
  });

  it('pauses on the trigger, refuses campaigns, auto-replies and HELP, still confirms STOP and sends /sms/send, and resumes', async () => {
    expect((await health()).paused).toBe(false);
    const { trigger } = await ensureDailySpendTrigger(own.client, { baseUrl: own.functions.url, dailyUsd: 0.01 });

    // Usage: two owner's sends (2 × $0.0083) cross $0.01; the sandbox calls /usage/trigger, signed.
    for (const body of ['first', 'second']) expect((await post('/sms/send', { to: CUSTOMER, body })).status).toBe(200);
    await own.sandbox.settled();
    const [fired] = await callbacksTo('/usage/trigger');
    expect(fired).toMatchObject({ status: 200, params: { UsageTriggerSid: trigger.sid, UsageCategory: 'totalprice' } });
    expect((await health()).paused).toMatchObject({ trigger: trigger.sid, usageCategory: 'totalprice' });

    const id = await campaign();
    const run = await post('/campaigns/run', { id });
    expect(run.status).toBe(503);
    expect(run.json).toMatchObject({ error: { code: 'sending_paused', trigger: trigger.sid } });
    expect((run.json as { error: { message: string } }).error.message).toMatch(/POST \/usage\/resume/);

    const chat = await text(CUSTOMER, 'hello there');
    expect(chat.webhook.status).toBe(200);
    expect(chat.webhook.body).not.toContain('Thanks, we got your message.');
    expect((await text(CUSTOMER, 'HELP')).webhook.body).not.toContain('<Message');
    expect((await text(CUSTOMER, 'STOP')).webhook.body).toContain('You are unsubscribed.');
    // Essential: the owner's transactional send still goes.
    expect((await post('/sms/send', { to: OTHER, body: 'your code is ready' })).status).toBe(200);

    // The same callback again (Twilio retrying) changes nothing.
    const replay = await postSignedForm(`${own.functions.url}/usage/trigger`, fired.params);
    expect(replay.json).toMatchObject({ paused: true, duplicate: true });

    expect((await post('/usage/resume', {}, null)).status).toBe(401);
    const resumed = await post('/usage/resume');
    expect(resumed.json).toMatchObject({ resumed: true, trigger: { sid: trigger.sid } });
    expect((await health()).paused).toBe(false);
    // After a resume, a replayed callback does not pause again: it acts once per IdempotencyToken.
    expect((await postSignedForm(`${own.functions.url}/usage/trigger`, fired.params)).json).toMatchObject({ duplicate: true });
    expect((await health()).paused).toBe(false);

    expect((await text(OTHER, 'hello again')).webhook.body).toContain('Thanks, we got your message.');
    const after = await post('/campaigns/run', { id });
    expect(after.status).toBe(200);
    expect(after.json).toMatchObject({ thisRun: { sent: 1 } });
  }, 60_000);

  it('refuses an unsigned callback and one without an IdempotencyToken', async () => {
    const params = { AccountSid: `AC${'0'.repeat(32)}`, UsageTriggerSid: `UT${'1'.repeat(32)}`, UsageCategory: 'totalprice' };
    expect(
      (await postSignedForm(`${own.functions.url}/usage/trigger`, { ...params, IdempotencyToken: 'x' }, { signature: null })).status,
    ).toBe(403);
    expect((await postSignedForm(`${own.functions.url}/usage/trigger`, params)).status).toBe(400);
    expect((await health()).paused).toBe(false);
  });
});
