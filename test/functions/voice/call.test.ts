import { callApi } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import type { CallInput } from '../../support/sandbox-call';
import { eventually } from '../../support/wait';
import { match } from '../../support/match';

interface Tracked {
  sid: string;
  status: string;
  history: Array<{ status: string }>;
  answeredBy?: string;
  reminder?: { answer?: string };
}

// Own sandbox: callees are scripted per number for the whole sandbox.
describe('POST /voice/call and GET /voice/calls', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack();
  });
  afterAll(() => own.close());

  const callee = (number: string, script: { outcome?: string; answeredBy?: string; inputs?: CallInput[] }) =>
    fetch(`${own.sandbox.url}/_sandbox/phone/callee`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ number, ...script }),
    });
  const place = (body: Record<string, unknown>) => callApi(`${own.functions.url}/voice/call`, { method: 'POST', body });
  const tracked = async (sid: string) => (await callApi(`${own.functions.url}/voice/calls?sid=${sid}`)).json as Tracked;
  const finished = (sid: string) =>
    eventually(
      () => tracked(sid),
      (call) => ['completed', 'busy', 'no-answer', 'failed', 'canceled'].includes(call.status),
    );
  const walk = async (sid: string) =>
    (await (await fetch(`${own.sandbox.url}/_sandbox/calls/${sid}`)).json()) as { steps: Array<{ verb: string; text?: string }> };

  it('says a message, safely escaped into TwiML, and tracks the call to completed', async () => {
    await callee('+12025550150', { outcome: 'answer' });
    const result = await place({ to: '+1 (202) 555-0150', message: 'Your order <A&B> ships "today".' });
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({ sid: match.stringMatching(/^CA[0-9a-f]{32}$/), to: '+12025550150', kind: 'message' });
    const sid = (result.json as { sid: string }).sid;
    const call = await finished(sid);
    expect(call.status).toBe('completed');
    expect(call.history.map((event) => event.status)).toEqual(match.arrayContaining(['queued', 'completed']));
    expect((await walk(sid)).steps.find((step) => step.verb === 'Say')?.text).toBe('Your order <A&B> ships "today".');
  });

  it.each([
    ['1', 'confirmed'],
    ['2', 'canceled'],
  ])('a reminder answered with %s is recorded as %s', async (digits, answer) => {
    const number = digits === '1' ? '+12025550151' : '+12025550152';
    await callee(number, { outcome: 'answer', inputs: [{ digits }] });
    const sid = ((await place({ to: number, reminder: 'Reminder: dentist tomorrow at 3 PM.' })).json as { sid: string }).sid;
    await finished(sid);
    expect(
      await eventually(
        () => tracked(sid),
        (call) => call.reminder !== undefined,
      ),
    ).toMatchObject({ reminder: { answer } });
  });

  it('asks a reminder question once more, then ends without an answer', async () => {
    await callee('+12025550153', { outcome: 'answer', inputs: [{ digits: '7' }, { silence: true }] });
    const sid = ((await place({ to: '+12025550153', reminder: 'Reminder: dentist tomorrow.' })).json as { sid: string }).sid;
    await finished(sid);
    const steps = (await walk(sid)).steps;
    expect(steps.filter((step) => step.verb === 'Gather')).toHaveLength(2);
    expect((await tracked(sid)).reminder).toBeUndefined();
  });

  it('records busy callees and answering machines', async () => {
    await callee('+12025550154', { outcome: 'busy' });
    const busy = ((await place({ to: '+12025550154', message: 'Hello' })).json as { sid: string }).sid;
    expect((await finished(busy)).status).toBe('busy');

    await callee('+12025550155', { outcome: 'answer', answeredBy: 'machine_start' });
    const machine = ((await place({ to: '+12025550155', message: 'Hello', machineDetection: true })).json as { sid: string }).sid;
    expect(
      await eventually(
        () => tracked(machine),
        (call) => call.status === 'completed',
      ),
    ).toMatchObject({ answeredBy: 'machine_start' });
  });

  it.each([
    ['neither message nor reminder', { to: '+12025550156' }],
    ['both', { to: '+12025550156', message: 'a', reminder: 'b' }],
    ['an invalid number', { to: '+1 555 123 4567', message: 'a' }],
  ])('refuses %s with 400', async (_name, body) => {
    expect((await place(body)).status).toBe(400);
  });

  it('answers 404 for an unknown call and 400 for something that is not a call SID', async () => {
    expect((await callApi(`${own.functions.url}/voice/calls?sid=CA${'0'.repeat(32)}`)).status).toBe(404);
    expect((await callApi(`${own.functions.url}/voice/calls?sid=hello`)).status).toBe(400);
  });
});
