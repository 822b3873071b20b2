import type { ContentCreateRequest } from 'twilio/lib/rest/content/v1/content';
import { ACCOUNT_SID, AUTH_TOKEN, CUSTOMER, OWNED_NUMBER, restError, startTestSandbox, type TestSandbox } from './helpers';

let env: TestSandbox;
const auth = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;

beforeAll(async () => {
  env = await startTestSandbox({
    contentTemplates: [
      { sid: `HX${'a'.repeat(32)}`, friendlyName: 'seeded', body: 'Hi {{name}}', variables: { name: 'there' }, language: 'es' },
    ],
  });
});

afterAll(async () => {
  await env.sandbox.close();
});

/** The Content API's wire format is the spec's snake_case JSON, which twilio-node sends as given. */
function createContent(body: Record<string, unknown>) {
  return env.client.content.v1.contents.create(body as unknown as ContentCreateRequest);
}

async function postRaw(body: string): Promise<{ status: number; body: { code: number; status: number } }> {
  const res = await fetch(`${env.sandbox.url}/content/v1/Content`, {
    method: 'POST',
    headers: { Authorization: auth, 'Content-Type': 'application/json' },
    body,
  });
  return { status: res.status, body: (await res.json()) as { code: number; status: number } };
}

describe('Content API', () => {
  it('seeds contentTemplates and exposes their SIDs', async () => {
    expect(env.sandbox.contentSids).toEqual({ seeded: `HX${'a'.repeat(32)}` });
    const seeded = await env.client.content.v1.contents(env.sandbox.contentSids.seeded).fetch();
    expect([seeded.friendlyName, seeded.language, seeded.variables, seeded.types]).toEqual([
      'seeded',
      'es',
      { name: 'there' },
      { 'twilio/text': { body: 'Hi {{name}}' } },
    ]);
  });

  it('creates a template with twilio/text and twilio/media, and fetches it back', async () => {
    const created = await createContent({
      friendly_name: 'shipping',
      language: 'en',
      variables: { 1: 'order', 2: 'soon' },
      types: {
        'twilio/text': { body: 'Your order {{1}} ships {{2}}' },
        'twilio/media': { body: 'Label {{1}}', media: ['https://example.com/{{1}}.pdf'] },
      },
    });
    expect(created.sid).toMatch(/^HX[0-9a-f]{32}$/);
    expect(created.accountSid).toBe(ACCOUNT_SID);
    expect(created.url).toBe(`https://content.twilio.com/v1/Content/${created.sid}`);
    expect(created.links).toEqual({
      approval_create: `https://content.twilio.com/v1/Content/${created.sid}/ApprovalRequests/whatsapp`,
      approval_fetch: `https://content.twilio.com/v1/Content/${created.sid}/ApprovalRequests`,
    });
    expect(Number.isNaN(new Date(created.dateCreated).getTime())).toBe(false);
    const fetched = await env.client.content.v1.contents(created.sid).fetch();
    expect(fetched.types).toEqual(created.types);
  });

  it('lists templates in creation order with paging', async () => {
    await createContent({ language: 'en', types: { 'twilio/text': { body: 'one' } } });
    const page = await env.client.content.v1.contents.page({ pageSize: 2 });
    expect(page.instances).toHaveLength(2);
    const all = await env.client.content.v1.contents.list({ pageSize: 1 });
    expect(all[0].friendlyName).toBe('seeded');
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(new Set(all.map((c) => c.sid)).size).toBe(all.length);
  });

  it('deletes a template: fetch is then 404 / 20404 and a message using it 21655', async () => {
    const created = await createContent({ language: 'en', types: { 'twilio/text': { body: 'bye' } } });
    expect(await env.client.content.v1.contents(created.sid).remove()).toBe(true);
    const missing = await restError(env.client.content.v1.contents(created.sid).fetch());
    expect([missing.status, missing.code]).toEqual([404, 20404]);
    const send = await restError(env.client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, contentSid: created.sid }));
    expect([send.status, send.code]).toEqual([400, 21655]);
  });

  it.each([
    ['not JSON', '{', 20001],
    ['no language', JSON.stringify({ types: { 'twilio/text': { body: 'x' } } }), 20001],
    ['no types', JSON.stringify({ language: 'en' }), 20001],
    [
      'an unknown type (e.g. twilio-node’s camelCase twilioText)',
      JSON.stringify({ language: 'en', types: { twilioText: { body: 'x' } } }),
      20001,
    ],
    ['twilio/media without media', JSON.stringify({ language: 'en', types: { 'twilio/media': { body: 'x' } } }), 20001],
    ['non-string variables', JSON.stringify({ language: 'en', variables: { 1: 2 }, types: { 'twilio/text': { body: 'x' } } }), 20001],
    ['a body over 1,600 characters', JSON.stringify({ language: 'en', types: { 'twilio/text': { body: 'x'.repeat(1601) } } }), 21658],
  ])('refuses %s with 400', async (_, body, code) => {
    const answer = await postRaw(body);
    expect([answer.status, answer.body.code, answer.body.status]).toEqual([400, code, 400]);
  });

  it('renders a template into an SMS too (body and media from twilio/media)', async () => {
    const sms = await env.client.messages.create({
      to: CUSTOMER,
      from: OWNED_NUMBER,
      contentSid: env.sandbox.contentSids.seeded,
      contentVariables: '{"name":"Ada"}',
    });
    expect(sms.body).toBe('Hi Ada');
    const media = await createContent({
      language: 'en',
      types: { 'twilio/media': { body: 'Label {{1}}', media: ['https://example.com/{{1}}.pdf'] } },
    });
    const mms = await env.client.messages.create({
      to: CUSTOMER,
      from: OWNED_NUMBER,
      contentSid: media.sid,
      contentVariables: '{"1":"L-9"}',
    });
    expect([mms.body, mms.numMedia]).toEqual(['Label L-9', '1']);
    const missing = await restError(env.client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, contentSid: media.sid }));
    expect([missing.status, missing.code]).toEqual([400, 21656]);
  });
});
