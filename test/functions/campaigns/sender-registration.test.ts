// US senders' registration end to end: POST /campaigns warns (dry run) and refuses (409
// sender_not_registered, unless force) a campaign from an unregistered 10DLC number or an
// unverified toll-free number, and GET /sms/message explains the 30034 / 30032 the sandbox's
// carriers then answer, as Twilio's do.
import { control } from '../../sandbox/helpers';
import { callApi } from '../../support/http';
import { match } from '../../support/match';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { phoneBook } from '../../support/sandbox-phone';
import { TEST_PHONE_NUMBER } from '../../support/stack';
import { eventually } from '../../support/wait';

const LONG_CODE = '+14155550142';
const TOLL_FREE = '+18005550100';
const uniquePhone = phoneBook('sender-registration');

interface Tracked {
  status: string;
  error: { code: number; meaning: string; action: string } | null;
}

/** A stack whose TWILIO_PHONE_NUMBER is `sender` (no Messaging Service: the number's own registration counts). */
const stackSendingFrom = (sender: string) =>
  startOwnStack({ TWILIO_PHONE_NUMBER: sender, ALLOWED_COUNTRIES: 'US' }, { phoneNumbers: [TEST_PHONE_NUMBER, LONG_CODE, TOLL_FREE] });

const campaign = (own: OwnStack, body: Record<string, unknown>) =>
  callApi(`${own.functions.url}/campaigns`, { method: 'POST', body: { name: 'Spring sale', body: 'Hi {{name}}', ...body } });

/** Sends one SMS through /sms/send and waits for its final status in GET /sms/message. */
async function sendAndTrack(own: OwnStack): Promise<Tracked> {
  const sent = await callApi(`${own.functions.url}/sms/send`, {
    method: 'POST',
    body: { to: uniquePhone(), body: 'Your order has shipped' },
  });
  expect(sent.status).toBe(200);
  const sid = (sent.json as { sid: string }).sid;
  return eventually(
    async () => (await callApi(`${own.functions.url}/sms/message?sid=${sid}`)).json as Tracked,
    (m) => ['delivered', 'undelivered', 'failed'].includes(m.status),
  );
}

describe('a US 10DLC sender', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await stackSendingFrom(LONG_CODE);
  });
  afterAll(() => own.close());
  const setCampaign = (campaignStatus: string | null) =>
    control(own.sandbox, 'POST', '/messaging/registrations', { serviceSid: own.sandbox.messagingServiceSid, campaignStatus });

  it('in a VERIFIED A2P campaign: the campaign is created with no warning and messages are delivered', async () => {
    const created = await campaign(own, {});
    expect(created.status).toBe(201);
    expect(created.json).not.toHaveProperty('warnings');
    expect(await sendAndTrack(own)).toMatchObject({ status: 'delivered', error: null });
  });

  it('unregistered: the dry run warns, the create is refused with 409 unless force, and /sms/message explains 30034', async () => {
    await setCampaign(null);
    try {
      const dryRun = await campaign(own, { dryRun: true });
      expect(dryRun.status).toBe(200);
      expect(dryRun.json).toMatchObject({
        warnings: [
          {
            code: 'sender_not_registered',
            sender: LONG_CODE,
            status: null,
            errorCode: 30034,
            message: match.stringMatching(/carriers block its US messages \(Twilio error 30034\)/),
          },
        ],
      });
      const refused = await campaign(own, {});
      expect(refused.status).toBe(409);
      expect(refused.json).toEqual({ error: { code: 'sender_not_registered', message: match.stringMatching(/"force": true/) } });
      const forced = await campaign(own, { force: true });
      expect(forced.status).toBe(201);
      expect(forced.json).toMatchObject({ state: 'open', warnings: [{ code: 'sender_not_registered', errorCode: 30034 }] });
      expect(await sendAndTrack(own)).toEqual(
        match.objectContaining({
          status: 'undelivered',
          error: { code: 30034, meaning: match.stringMatching(/not registered/), action: match.stringMatching(/A2P 10DLC campaign/) },
        }),
      );
    } finally {
      await setCampaign('VERIFIED');
    }
  });
});

describe('a toll-free sender', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await stackSendingFrom(TOLL_FREE);
  });
  afterAll(() => own.close());

  it('pending verification: the campaign is refused unless force, and /sms/message explains 30032', async () => {
    await control(own.sandbox, 'POST', '/messaging/registrations', { phoneNumber: TOLL_FREE, tollfreeStatus: 'PENDING_REVIEW' });
    const refused = await campaign(own, {});
    expect(refused.json).toMatchObject({
      error: { code: 'sender_not_registered', message: match.stringMatching(/PENDING_REVIEW.*30032/) },
    });
    expect(await sendAndTrack(own)).toEqual(
      match.objectContaining({
        status: 'undelivered',
        error: match.objectContaining({ code: 30032, meaning: match.stringMatching(/toll-free/) }),
      }),
    );
    await control(own.sandbox, 'POST', '/messaging/registrations', { phoneNumber: TOLL_FREE, tollfreeStatus: 'TWILIO_APPROVED' });
    expect((await campaign(own, { dryRun: true })).json).not.toHaveProperty('warnings');
  });
});
