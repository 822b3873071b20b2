import type { UsageSnapshot } from '../../sandbox';
import { CUSTOMER, OWNED_NUMBER, control, restError, sandboxWithReceiver } from './helpers';

const fixture = sandboxWithReceiver();

describe('GET / DELETE /_sandbox/usage', () => {
  it('counts lookups (and their packages), verification sends, checks and REST messages; DELETE resets', async () => {
    const { client, sandbox } = fixture.env;
    const reset = await control<UsageSnapshot>(sandbox, 'DELETE', '/usage');
    expect(reset.body).toEqual({ lookups: 0, lookupPackages: {}, verifications: 0, verificationChecks: 0, messages: 0 });

    await client.lookups.v2.phoneNumbers(CUSTOMER).fetch();
    await client.lookups.v2.phoneNumbers(CUSTOMER).fetch({ fields: 'line_type_intelligence,sms_pumping_risk' });
    await client.lookups.v2.phoneNumbers('+14155550199').fetch({ fields: 'line_type_intelligence' });

    const service = client.verify.v2.services(sandbox.verifyServiceSid);
    await service.verifications.create({ to: CUSTOMER, channel: 'sms' });
    await service.verifications.create({ to: CUSTOMER, channel: 'sms' }); // re-send: paid again
    await restError(service.verifications.create({ to: '+15005550022', channel: 'sms' })); // refused: not counted
    await service.verificationChecks.create({ to: CUSTOMER, code: '0000' });
    await restError(service.verificationChecks.create({ to: '+12025550111', code: '0000' })); // 404: not counted

    await client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: 'counted' });
    await restError(client.messages.create({ to: '+15005550001', from: OWNED_NUMBER, body: 'refused' }));

    const usage = await control<UsageSnapshot>(sandbox, 'GET', '/usage');
    expect(usage.body).toEqual({
      lookups: 3,
      lookupPackages: { line_type_intelligence: 2, sms_pumping_risk: 1 },
      verifications: 2,
      verificationChecks: 1,
      messages: 1,
    });
    expect((await control<UsageSnapshot>(sandbox, 'DELETE', '/usage')).body.lookups).toBe(0);
    expect((await control<UsageSnapshot>(sandbox, 'GET', '/usage')).body.verifications).toBe(0);
  });
});
