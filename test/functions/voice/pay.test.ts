import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { TEST_PHONE_NUMBER } from '../../support/stack';

interface Walk {
  status: string;
  steps: Array<{ verb: string; attributes: Record<string, string>; text?: string }>;
  recordingEvents: Array<{ status: string; afterStep: number }>;
}

// A recorded call reaches the menu's pay option: the recording must be paused while the caller
// keys in the card, and resumed after. Own sandbox; the call is recorded over REST by a small
// TwiML app standing in for whatever recorded it, then handed to /voice/pay.
describe('/voice/pay pauses the call recording around <Pay>', () => {
  let own: OwnStack;
  let app: http.Server;
  let appUrl = '';

  beforeAll(async () => {
    own = await startOwnStack({ PAY_CONNECTOR: 'Default' });
    app = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      const answer = async () => {
        const callSid = new URLSearchParams(body).get('CallSid') as string;
        await own.client.calls(callSid).recordings.create();
        response.writeHead(200, { 'content-type': 'text/xml' });
        response.end(`<Response><Say>This call is recorded.</Say><Redirect>${own.functions.url}/voice/pay?path=51</Redirect></Response>`);
      };
      // A recording that fails to start answers 500 (so the call, and the test, fail) instead of an
      // unhandled rejection and a request never answered.
      request.on('end', () => {
        answer().catch((error: unknown) => response.writeHead(500).end(String(error)));
      });
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/answer`;
  });
  afterAll(async () => {
    app.closeAllConnections();
    await new Promise<void>((resolve) => app.close(() => resolve()));
    await own.close();
  });

  it('pauses before <Pay>, resumes after, and thanks the caller', async () => {
    await fetch(`${own.sandbox.url}/_sandbox/phone/callee`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ number: '+12025550160', outcome: 'answer', payResult: 'success' }),
    });
    const call = await own.client.calls.create({ to: '+12025550160', from: TEST_PHONE_NUMBER, url: appUrl });
    let walk: Walk | undefined;
    for (let i = 0; i < 200 && walk?.status !== 'completed'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      walk = (await (await fetch(`${own.sandbox.url}/_sandbox/calls/${call.sid}`)).json()) as Walk;
    }
    const steps = walk?.steps ?? [];
    const payAt = steps.findIndex((step) => step.verb === 'Pay');
    expect(steps[payAt]?.attributes).toMatchObject({ paymentConnector: 'Default', chargeAmount: '25.00' });
    const events = walk?.recordingEvents ?? [];
    expect(events.map((event) => event.status)).toEqual(['in-progress', 'paused', 'in-progress', 'completed']);
    // afterStep counts the verbs done when the change happened: paused before <Pay> ran, resumed after.
    expect(events[1].afterStep).toBeLessThanOrEqual(payAt);
    expect(events[2].afterStep).toBeGreaterThan(payAt);
    expect(steps.some((step) => step.verb === 'Say' && step.text?.startsWith('Thank you, your payment was received.'))).toBe(true);
  });
});
