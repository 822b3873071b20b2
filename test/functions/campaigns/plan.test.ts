// A campaign's plan through a Messaging Service: the service spreads it over its sender pool, so
// the MPS is the sum of its senders' (short code 100, toll-free 3, long code 1), read from Twilio.
import { callApi } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { TEST_PHONE_NUMBER } from '../../support/stack';

const TOLL_FREE = '+18005550100';
const SHORT_CODE = '12345';

let own: OwnStack;
beforeAll(async () => {
  own = await startOwnStack((sandbox) => ({ MESSAGING_SERVICE_SID: sandbox.messagingServiceSid, ALLOWED_COUNTRIES: '' }), {
    phoneNumbers: [TEST_PHONE_NUMBER, TOLL_FREE],
    shortCodes: [SHORT_CODE],
  });
});
afterAll(() => own.close());

const plan = async (body: Record<string, unknown>) =>
  (await callApi(`${own.functions.url}/campaigns`, { method: 'POST', body: { name: 'Plan', body: 'Hi', dryRun: true, ...body } })).json;

describe('POST /campaigns plan through a Messaging Service', () => {
  it("adds up the service's senders: a long code, a toll-free number and a short code make 104 messages per second", async () => {
    expect(await plan({ expectedRecipients: 10_400 })).toEqual({
      plan: { senderType: 'messaging_service', mps: 104, recipients: 10_400, etaSeconds: 100, queueHours: 0.03, fitsQueue: true },
    });
  });

  it('takes the MPS given over the measured one', async () => {
    expect(await plan({ expectedRecipients: 100, mps: 10 })).toMatchObject({ plan: { mps: 10, etaSeconds: 10 } });
  });
});
