// Twilio never retries an inbound message: when Sync fails past the budget, /sms/incoming answers
// a TwiML <Redirect> to /sms/fallback (signed, counted), which tries again with a new budget.
import { callApi, postSignedForm } from '../../support/http';
import { addFault, clearFaults, syncItems } from '../../support/faults';
import { SHORT_BUDGET, SHORT_BUDGET_MS, startOwnStack, type OwnStack } from '../../support/own-stack';
import { TEST_ACCOUNT_SID, TEST_PHONE_NUMBER } from '../../support/stack';
import { match } from '../../support/match';

// One in-process Functions site per process: each describe runs on a stack of its own, in turn.
let own: OwnStack;
/** Starts the describe's stack before its tests and closes it after them. */
function onOwnStack(budget: Record<string, string>): void {
  beforeAll(async () => {
    own = await startOwnStack({
      ...budget,
      OPT_OUT_REPLIES: 'ours',
      AUTO_REPLY: 'Thanks, we will get back to you.',
      TRIGGERED_SENDS_PER_HOUR: '1',
    });
  });
  afterAll(() => own.close());
}
afterEach(() => clearFaults(own.sandbox.url));

let line = 0;
const text = (route: string, body: string, from = `+4474002${String(line++).padStart(5, '0')}`) =>
  postSignedForm(`${own.functions.url}${route}`, {
    MessageSid: `SM${String(++line).padStart(32, '0')}`,
    AccountSid: TEST_ACCOUNT_SID,
    From: from,
    To: TEST_PHONE_NUMBER,
    Body: body,
    NumMedia: '0',
  });
const stop = (route: string, from?: string) => text(route, 'STOP', from);

const smsConsent = async (number: string) =>
  (
    (await callApi(`${own.functions.url}/consent?number=${encodeURIComponent(number)}`)).json as {
      channels: { sms: { optedOut: boolean } };
    }
  ).channels.sms;

const syncDown = () =>
  addFault(own.sandbox.url, { method: 'POST', pathPattern: syncItems('optouts'), status: 503, code: 20503, rate: 1, seed: 1 });

describe('an inbound STOP while Sync is down', () => {
  // Each attempt spends its whole budget retrying Sync: 3 s here instead of the product's 9 s.
  onOwnStack(SHORT_BUDGET);

  // One outage for all four (each attempt spends its whole budget retrying Sync first).
  it('answers a <Redirect> to /sms/fallback counting the attempt, takes Twilio calling the fallback URL as attempt 1, and gives up with a 5xx after the last', async () => {
    await syncDown();
    let primaryAnsweredAt = 0;
    const [primary, twilioFallback, second, last] = await Promise.all([
      stop('/sms/incoming', '+447400200000').then((answer) => ((primaryAnsweredAt = Date.now()), answer)),
      postSignedForm(`${own.functions.url}/sms/fallback`, {
        MessageSid: 'SM'.padEnd(34, '7'),
        From: '+447400288888',
        To: TEST_PHONE_NUMBER,
        Body: 'STOP',
        ErrorCode: '11200',
        ErrorUrl: `${own.functions.url}/sms/incoming`,
      }),
      stop('/sms/fallback?attempt=2'),
      stop('/sms/fallback?attempt=5'),
    ]);
    expect(primary.status).toBe(200);
    expect(primary.headers.get('content-type')).toMatch(/xml/);
    const redirect = (attempt: number) =>
      new RegExp(`<Redirect method="POST">/sms/fallback\\?attempt=${attempt}&amp;receivedAt=([^<]+)</Redirect>`);
    expect(primary.text).toMatch(redirect(1));
    expect(twilioFallback.text).toMatch(redirect(2));
    expect(second.text).toMatch(redirect(3));
    // The time the message first reached us travels along the chain: the attempt's start, about a
    // budget before its answer, not the time the redirect was written (measured from the answer,
    // as a loaded machine may start the handler late, never early).
    const firstReceived = decodeURIComponent(redirect(1).exec(primary.text)?.[1] ?? '');
    expect(Date.parse(firstReceived)).toBeLessThan(primaryAnsweredAt - (SHORT_BUDGET_MS - 2_000));
    expect(last.status).toBeGreaterThanOrEqual(500);
    expect(last.json).toMatchObject({ error: { code: match.any(String) } });
    await clearFaults(own.sandbox.url);
    expect(await smsConsent('+447400200000')).toMatchObject({ optedOut: false });
  }, 30_000);

  it('records the opt-out on the fallback once Sync is back, and answers the STOP as the primary would', async () => {
    const from = '+447400299999';
    const answer = await stop('/sms/fallback?attempt=1', from);
    expect(answer.status).toBe(200);
    expect(answer.text).toMatch(/<Message>[^<]*<\/Message>/);
    expect(answer.text).not.toContain('Redirect');
    expect(await smsConsent(from)).toMatchObject({ optedOut: true });
  });

  it('answers a bad request (no From) with a 4xx, never a redirect', async () => {
    const answer = await postSignedForm(`${own.functions.url}/sms/incoming`, { MessageSid: 'SM'.padEnd(34, '1'), Body: 'STOP' });
    expect(answer.status).toBe(400);
  });
});

describe('a START that got through late', () => {
  // The START's write is held 3 s: the product's budget leaves it time to finish after that.
  onOwnStack({});

  it('never undoes a STOP the person sent after it', async () => {
    const from = '+447400266666';
    // The START's write (the first opt-out write from now on) is held 3 s; the STOP sent meanwhile lands first.
    await addFault(own.sandbox.url, { method: 'POST', pathPattern: syncItems('optouts'), delayMs: 3_000, times: 1 });
    const start = text('/sms/incoming', 'START', from);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await stop('/sms/incoming', from)).status).toBe(200);
    expect((await start).status).toBe(200);
    expect(await smsConsent(from)).toMatchObject({ optedOut: true });
  });
});

describe('a message that is not a keyword, on a second chance', () => {
  onOwnStack(SHORT_BUDGET);

  it("spends the sender's hourly reply budget only once it is kept: an attempt that failed to keep it leaves the auto-reply for the next", async () => {
    const from = '+447400255555';
    await addFault(own.sandbox.url, { method: 'POST', pathPattern: syncItems('inbox'), status: 503, code: 20503, rate: 1, seed: 1 });
    const failed = await text('/sms/fallback?attempt=1', 'Is my order ready?', from);
    expect(failed.text).toMatch(/<Redirect method="POST">\/sms\/fallback\?attempt=2/);
    await clearFaults(own.sandbox.url);
    // TRIGGERED_SENDS_PER_HOUR=1: had the failed attempt spent it, this reply would be withheld.
    const kept = await text('/sms/fallback?attempt=2', 'Is my order ready?', from);
    expect(kept.text).toContain('<Message>Thanks, we will get back to you.</Message>');
  }, 20_000);
});

describe('POST /voice/fallback', () => {
  onOwnStack({});

  it('apologises and takes a voicemail', async () => {
    const answer = await postSignedForm(`${own.functions.url}/voice/fallback`, {
      CallSid: 'CA'.padEnd(34, '2'),
      From: '+447400277777',
      To: TEST_PHONE_NUMBER,
      ErrorCode: '11200',
    });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('Sorry, we could not connect your call.');
    expect(answer.text).toMatch(/<Record [^>]*action="[^"]*\/voice\/recording"/);
  });
});
