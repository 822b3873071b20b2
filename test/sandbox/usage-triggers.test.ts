import { validateRequest } from 'twilio/lib/webhooks/webhooks';
import { UsageTriggerStore } from '../../sandbox/api/usage-triggers';
import { Clock } from '../../sandbox/clock';
import { UsageCounters } from '../../sandbox/usage';
import { AUTH_TOKEN, CUSTOMER, OWNED_NUMBER, restError, sandboxWithReceiver } from './helpers';

const fixture = sandboxWithReceiver();

describe('Usage Records and Usage Triggers (api.twilio.com 2010-04-01 Usage)', () => {
  it("prices what it counts: today's records list each category and totalprice at the sandbox list prices", async () => {
    const { client, sandbox } = fixture.env;
    await client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: 'one' });
    await client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: 'two' });
    await client.verify.v2.services(sandbox.verifyServiceSid).verifications.create({ to: CUSTOMER, channel: 'sms' });
    await client.lookups.v2.phoneNumbers(CUSTOMER).fetch({ fields: 'line_type_intelligence' });
    const today = await client.usage.records.today.list();
    const byCategory = Object.fromEntries(today.map((record) => [record.category, record]));
    expect(byCategory['sms-outbound']).toMatchObject({ count: '2', price: 0.0166, priceUnit: 'usd' });
    expect(byCategory['authy-phone-verifications']).toMatchObject({ count: '1', price: 0.05 });
    expect(byCategory.lookups).toMatchObject({ count: '1', price: 0.008 });
    expect(byCategory.totalprice.price).toBeCloseTo(0.0746, 6);
    const [onlyTotal] = await client.usage.records.today.list({ category: 'totalprice' });
    expect(onlyTotal.category).toBe('totalprice');
  });

  it('creates, lists, fetches, updates and deletes triggers; a missing parameter is 20001, an unknown trigger 20404', async () => {
    const { client } = fixture.env;
    const trigger = await client.usage.triggers.create({
      callbackUrl: `${fixture.receiver.url}/usage`,
      triggerValue: '100',
      usageCategory: 'totalprice',
      triggerBy: 'price',
      recurring: 'daily',
      friendlyName: 'daily spend',
    });
    expect(trigger.sid).toMatch(/^UT[0-9a-f]{32}$/);
    expect(trigger).toMatchObject({
      triggerValue: '100',
      recurring: 'daily',
      dateFired: null,
    });
    expect((await client.usage.triggers.list({ recurring: 'daily' })).map((t) => t.sid)).toContain(trigger.sid);
    expect((await client.usage.triggers(trigger.sid).update({ friendlyName: 'renamed' })).friendlyName).toBe('renamed');
    expect((await client.usage.triggers(trigger.sid).fetch()).friendlyName).toBe('renamed');
    expect(await client.usage.triggers(trigger.sid).remove()).toBe(true);
    expect(await restError(client.usage.triggers(trigger.sid).fetch())).toMatchObject({ status: 404, code: 20404 });
    expect(
      await restError(client.usage.triggers.create({ callbackUrl: 'https://example.com', triggerValue: '', usageCategory: 'sms' })),
    ).toMatchObject({
      status: 400,
      code: 20001,
    });
  });

  it("fires a signed callback with Twilio's parameters when the value crosses TriggerValue, once per period", async () => {
    const { client, sandbox } = fixture.env;
    const url = `${fixture.receiver.url}/usage-fire`;
    sandbox.clock.advance(24 * 3_600_000); // a fresh GMT day: nothing spent yet
    const trigger = await client.usage.triggers.create({
      callbackUrl: url,
      triggerValue: '0.01',
      usageCategory: 'totalprice',
      triggerBy: 'price',
      recurring: 'daily',
    });
    const fired = () => fixture.receiver.requests.filter((request) => request.url === url);
    await client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: 'below' });
    await sandbox.settled();
    expect(fired()).toHaveLength(0);
    await client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: 'crosses' });
    await client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: 'same day: no second callback' });
    await sandbox.settled();
    expect(fired()).toHaveLength(1);
    const [callback] = fired();
    expect(callback.params).toMatchObject({
      UsageTriggerSid: trigger.sid,
      UsageCategory: 'totalprice',
      TriggerBy: 'price',
      Recurring: 'daily',
    });
    expect(callback.params.IdempotencyToken).toContain(trigger.sid);
    expect(callback.params.UsageRecordUri).toContain('Category=totalprice');
    expect(Number(callback.params.CurrentValue)).toBeGreaterThanOrEqual(Number(callback.params.TriggerValue));
    expect(validateRequest(AUTH_TOKEN, String(callback.headers['x-twilio-signature']), url, callback.params)).toBe(true);
    expect(Number.isNaN((await client.usage.triggers(trigger.sid).fetch()).dateFired.getTime())).toBe(false);

    // The next GMT day is a new period: the recurring trigger fires again, with a new token.
    sandbox.clock.advance(24 * 3_600_000);
    await client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: 'a' });
    await client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: 'b' });
    await sandbox.settled();
    expect(fired()).toHaveLength(2);
    expect(fired()[1].params.IdempotencyToken).not.toBe(callback.params.IdempotencyToken);
  });
});

describe('Usage Triggers are evaluated only where a billed item can move them', () => {
  it('a message reads the totals of the sms-outbound and totalprice triggers only, not of 100 triggers on another category', () => {
    const clock = new Clock();
    const usage = new UsageCounters(() => clock.now());
    const fired: string[] = [];
    const triggers = new UsageTriggerStore({ accountSid: `AC${'0'.repeat(32)}`, clock, usage, deliver: ({ url }) => fired.push(url) });
    const trigger = (usageCategory: string, triggerValue: string) =>
      triggers.create(
        new URLSearchParams({
          CallbackUrl: `https://example.com/${usageCategory}`,
          TriggerValue: triggerValue,
          UsageCategory: usageCategory,
        }),
      );
    for (let index = 0; index < 100; index++) trigger('authy-phone-verifications', '1000');
    trigger('sms-outbound', '2');
    trigger('totalprice', '1000');
    const reads: string[] = [];
    const totals = usage.totals.bind(usage);
    usage.totals = (category, fromDay, toDay) => {
      reads.push(category);
      return totals(category, fromDay, toDay);
    };
    usage.count('messages');
    expect(reads.sort()).toEqual(['sms-outbound', 'totalprice']);
    usage.count('messages');
    expect(fired).toEqual(['https://example.com/sms-outbound']);
  });
});
