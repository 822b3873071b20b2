// The sandbox's US sender registration: each Messaging Service's A2P 10DLC campaign
// (Services/{MG}/Compliance/Usa2p) and each toll-free number's verification (Tollfree/Verifications),
// read and written with twilio-node, and enforced the way Twilio's carriers do: an unregistered
// 10DLC number's US traffic ends undelivered with 30034, an unverified toll-free's with 30032.
import { CUSTOMER, OWNED_NUMBER, control, restError, startTestSandbox, type TestSandbox } from './helpers';

const TOLL_FREE = '+18005550100';
const SERVICE_SID = `MG${'7'.repeat(32)}`;
const UK_CUSTOMER = '+447400123456';

let env: TestSandbox;
beforeAll(async () => {
  env = await startTestSandbox({
    phoneNumbers: [OWNED_NUMBER, TOLL_FREE, '+15005550006'],
    messagingServices: [{ sid: SERVICE_SID, friendlyName: 'Notifications' }],
  });
});
afterAll(() => env.sandbox.close());

const registrations = (body: unknown) => control(env.sandbox, 'POST', '/messaging/registrations', body);

/** The message's final status and error code, once its lifecycle ran. */
async function finalOf(from: string, to = CUSTOMER): Promise<{ status: string; errorCode: number | null }> {
  const { sid } = await env.client.messages.create({ from, to, body: 'Your order has shipped' });
  await env.sandbox.settled();
  const message = await env.client.messages(sid).fetch();
  return { status: message.status, errorCode: message.errorCode };
}

describe('US A2P 10DLC campaigns (Compliance/Usa2p)', () => {
  it('seeds every Messaging Service with a VERIFIED campaign, so the default numbers deliver', async () => {
    const [campaign] = await env.client.messaging.v1.services(SERVICE_SID).usAppToPerson.list();
    expect(campaign).toMatchObject({ messagingServiceSid: SERVICE_SID, campaignStatus: 'VERIFIED' });
    expect(await finalOf(OWNED_NUMBER)).toEqual({ status: 'delivered', errorCode: null });
  });

  it('creates a campaign IN_PROGRESS, fetches and deletes it', async () => {
    const service = env.client.messaging.v1.services(SERVICE_SID);
    const created = await service.usAppToPerson.create({
      brandRegistrationSid: `BN${'1'.repeat(32)}`,
      description: 'Order updates to customers who opted in at checkout.',
      messageFlow: 'Customers tick a box at checkout to receive order updates by text.',
      messageSamples: ['Your order 1234 has shipped.', 'Your order 1234 was delivered.'],
      usAppToPersonUsecase: 'ACCOUNT_NOTIFICATION',
      hasEmbeddedLinks: false,
      hasEmbeddedPhone: false,
    });
    expect(created).toMatchObject({
      campaignStatus: 'IN_PROGRESS',
      messageSamples: ['Your order 1234 has shipped.', 'Your order 1234 was delivered.'],
    });
    expect((await service.usAppToPerson(created.sid).fetch()).sid).toBe(created.sid);
    expect(await service.usAppToPerson(created.sid).remove()).toBe(true);
    expect((await restError(service.usAppToPerson(created.sid).fetch())).status).toBe(404);
  });

  it('an unregistered service: US messages from its numbers end undelivered with 30034; the UK is not filtered', async () => {
    expect((await registrations({ serviceSid: SERVICE_SID, campaignStatus: null })).status).toBe(200);
    try {
      expect(await env.client.messaging.v1.services(SERVICE_SID).usAppToPerson.list()).toEqual([]);
      expect(await finalOf(OWNED_NUMBER)).toEqual({ status: 'undelivered', errorCode: 30034 });
      expect(await finalOf(OWNED_NUMBER, UK_CUSTOMER)).toEqual({ status: 'delivered', errorCode: null });
      // Twilio's magic test numbers never reach a carrier.
      expect(await finalOf('+15005550006')).toEqual({ status: 'delivered', errorCode: null });
      // A campaign still in vetting does not register the numbers either.
      await registrations({ serviceSid: SERVICE_SID, campaignStatus: 'IN_PROGRESS' });
      expect(await finalOf(OWNED_NUMBER)).toEqual({ status: 'undelivered', errorCode: 30034 });
    } finally {
      await registrations({ serviceSid: SERVICE_SID, campaignStatus: 'VERIFIED' });
    }
    expect(await finalOf(OWNED_NUMBER)).toEqual({ status: 'delivered', errorCode: null });
  });
});

describe('toll-free verifications (Tollfree/Verifications)', () => {
  it('seeds an approved verification for each toll-free number, filtered by its PN SID', async () => {
    const [number] = await env.client.incomingPhoneNumbers.list({ phoneNumber: TOLL_FREE });
    const verifications = await env.client.messaging.v1.tollfreeVerifications.list({ tollfreePhoneNumberSid: number.sid });
    expect(verifications).toEqual([expect.objectContaining({ tollfreePhoneNumber: TOLL_FREE, status: 'TWILIO_APPROVED' })]);
    expect(await finalOf(TOLL_FREE)).toEqual({ status: 'delivered', errorCode: null });
  });

  it('pending or never submitted: US messages end undelivered with 30032; a new submission is PENDING_REVIEW', async () => {
    const [number] = await env.client.incomingPhoneNumbers.list({ phoneNumber: TOLL_FREE });
    try {
      await registrations({ phoneNumber: TOLL_FREE, tollfreeStatus: null });
      expect(await finalOf(TOLL_FREE)).toEqual({ status: 'undelivered', errorCode: 30032 });
      const submitted = await env.client.messaging.v1.tollfreeVerifications.create({
        tollfreePhoneNumberSid: number.sid,
        businessName: 'Owl Shop',
        businessWebsite: 'https://owl.example',
        notificationEmail: 'compliance@owl.example',
        useCaseCategories: ['ACCOUNT_NOTIFICATIONS'],
        useCaseSummary: 'Order updates to customers who opted in.',
        productionMessageSample: 'Your order 1234 has shipped.',
        optInImageUrls: ['https://owl.example/opt-in.png'],
        optInType: 'WEB_FORM',
        messageVolume: '1,000',
      });
      expect(submitted).toMatchObject({ status: 'PENDING_REVIEW', tollfreePhoneNumber: TOLL_FREE });
      expect(await finalOf(TOLL_FREE)).toEqual({ status: 'undelivered', errorCode: 30032 });
      expect((await env.client.messaging.v1.tollfreeVerifications.list({ status: 'PENDING_REVIEW' })).map((v) => v.sid)).toEqual([
        submitted.sid,
      ]);
    } finally {
      await registrations({ phoneNumber: TOLL_FREE, tollfreeStatus: 'TWILIO_APPROVED' });
    }
    expect(await finalOf(TOLL_FREE)).toEqual({ status: 'delivered', errorCode: null });
  });

  it('refuses a verification for a number that is not a toll-free number of the account (30436)', async () => {
    const [longCode] = await env.client.incomingPhoneNumbers.list({ phoneNumber: OWNED_NUMBER });
    const error = await restError(
      env.client.messaging.v1.tollfreeVerifications.create({
        tollfreePhoneNumberSid: longCode.sid,
        businessName: 'Owl Shop',
        businessWebsite: 'https://owl.example',
        notificationEmail: 'compliance@owl.example',
        useCaseCategories: ['ACCOUNT_NOTIFICATIONS'],
        useCaseSummary: 'Order updates.',
        productionMessageSample: 'Your order has shipped.',
        optInImageUrls: ['https://owl.example/opt-in.png'],
        optInType: 'WEB_FORM',
        messageVolume: '10',
      }),
    );
    expect(error).toMatchObject({ status: 400, code: 30436 });
  });
});

describe('the control plane', () => {
  it('shows and refuses what it cannot set', async () => {
    expect((await control(env.sandbox, 'GET', '/messaging/registrations')).body).toEqual({
      services: [{ sid: SERVICE_SID, campaignStatus: 'VERIFIED' }],
      tollFree: [{ phoneNumber: TOLL_FREE, status: 'TWILIO_APPROVED' }],
    });
    expect((await registrations({ serviceSid: SERVICE_SID, campaignStatus: 'APPROVED' })).status).toBe(400);
    expect((await registrations({ serviceSid: `MG${'0'.repeat(32)}`, campaignStatus: 'VERIFIED' })).status).toBe(404);
    expect((await registrations({ phoneNumber: '+18885550100', tollfreeStatus: 'IN_REVIEW' })).status).toBe(404);
  });
});
