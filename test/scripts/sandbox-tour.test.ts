import { MAGIC_RECIPIENTS, runSandboxTour } from '../../scripts/sandbox-tour';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_PHONE_NUMBER, stack } from '../support/stack';

describe('the sandbox tour (twilio-node against the running sandbox)', () => {
  it('sends a message with signed callbacks, hits every magic error and round-trips Sync items', async () => {
    const report = await runSandboxTour({
      sandboxUrl: stack().sandboxUrl,
      accountSid: TEST_ACCOUNT_SID,
      authToken: TEST_AUTH_TOKEN,
      from: TEST_PHONE_NUMBER,
    });

    expect(report.messageSid).toMatch(/^SM[0-9a-f]{32}$/);
    const statuses = report.callbacks.map((callback) => callback.status);
    expect(statuses).toContain('sent');
    expect(statuses[statuses.length - 1]).toBe('delivered');
    expect(statuses).not.toContain('queued');
    expect(report.callbacks.every((callback) => callback.validSignature)).toBe(true);

    expect(report.magicErrors).toEqual(Object.fromEntries(MAGIC_RECIPIENTS.map((to, i) => [to, [21211, 21612, 21408, 21610, 21614][i]])));
    expect(report.sync).toEqual({
      created: { text: 'hello' },
      updated: { text: 'hello again' },
      staleWriteCode: 54205,
      afterDelete: 54201,
    });
  });
});
