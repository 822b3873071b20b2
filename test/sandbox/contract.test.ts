/**
 * Contract test: the sandbox's answers against Twilio's own OpenAPI specs (twilio-oai), which
 * live in `<repo>/../shared/twilio-oai` where CI provides them. Every property a response schema
 * lists must be present with a compatible type, and the sandbox must add no unknown field.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ACCOUNT_SID, AUTH_TOKEN, CUSTOMER, OWNED_NUMBER, startTestSandbox, type TestSandbox } from './helpers';

const dir = path.resolve(__dirname, '../../../shared/twilio-oai');
const describeIfSpecs = fs.existsSync(dir) ? describe : describe.skip;

interface Schema {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  items?: Schema;
}

interface Spec {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>>;
  components: { schemas: Record<string, Schema> };
}

function loadSpec(file: string): Spec {
  return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Spec;
}

function resolve(spec: Spec, schema: Schema): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = spec.components.schemas[name];
  if (!target) throw new Error(`unresolved $ref ${schema.$ref}`);
  return resolve(spec, target);
}

function responseSchema(spec: Spec, specPath: string, method: string, status: string): Schema {
  const schema = spec.paths[specPath]?.[method]?.responses[status]?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`no ${method.toUpperCase()} ${specPath} ${status} response in the spec`);
  return schema;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Problems of `value` against `schema`: missing / unknown properties and incompatible types. */
function check(spec: Spec, rawSchema: Schema, value: unknown, where: string): string[] {
  const schema = resolve(spec, rawSchema);
  if (value === null) return schema.nullable || schema.type === undefined ? [] : [`${where}: null but not nullable`];
  if (schema.type === undefined) return []; // schema-less (e.g. a Sync item's data)
  const actual = typeOf(value);
  const compatible = actual === schema.type || (schema.type === 'number' && actual === 'integer');
  if (!compatible) return [`${where}: expected ${schema.type}, got ${actual}`];
  if (schema.enum && !schema.enum.includes(value)) return [`${where}: ${String(value)} is not one of ${schema.enum.join(', ')}`];
  const problems: string[] = [];
  if (schema.type === 'object' && schema.properties) {
    const record = value as Record<string, unknown>;
    for (const [name, propertySchema] of Object.entries(schema.properties)) {
      if (!(name in record)) problems.push(`${where}.${name}: missing`);
      else problems.push(...check(spec, propertySchema, record[name], `${where}.${name}`));
    }
    for (const name of Object.keys(record)) {
      if (!(name in schema.properties)) problems.push(`${where}.${name}: not in the spec`);
    }
  }
  if (schema.type === 'array' && schema.items) {
    (value as unknown[]).forEach((element, i) => problems.push(...check(spec, schema.items as Schema, element, `${where}[${i}]`)));
  }
  return problems;
}

describeIfSpecs('sandbox responses match Twilio’s OpenAPI specs', () => {
  let env: TestSandbox;
  let api: Spec;
  let sync: Spec;
  let messaging: Spec;
  const auth = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;

  async function call(method: string, url: string, form?: Record<string, string>): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${env.sandbox.url}${url}`, {
      method,
      headers: { Authorization: auth, ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    return { status: res.status, body: await res.json() };
  }

  function expectConforms(spec: Spec, specPath: string, method: string, status: number, response: { status: number; body: unknown }): void {
    expect(response.status).toBe(status);
    const body = response.body as Record<string, unknown>;
    const problems = check(spec, responseSchema(spec, specPath, method, String(status)), body, method.toUpperCase());
    expect(problems).toEqual([]);
  }

  const acct = `/api/2010-04-01/Accounts/${ACCOUNT_SID}`;

  beforeAll(async () => {
    api = loadSpec('twilio_api_v2010.json');
    sync = loadSpec('twilio_sync_v1.json');
    messaging = loadSpec('twilio_messaging_v1.json');
    env = await startTestSandbox();
  });

  afterAll(async () => {
    await env.sandbox.close();
  });

  it('Message: create, fetch (after delivery) and list', async () => {
    const created = await call('POST', `${acct}/Messages.json`, { To: CUSTOMER, From: OWNED_NUMBER, Body: 'contract' });
    expectConforms(api, '/2010-04-01/Accounts/{AccountSid}/Messages.json', 'post', 201, created);
    await env.sandbox.settled();
    const sid = (created.body as { sid: string }).sid;
    expectConforms(api, '/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json', 'get', 200, await call('GET', `${acct}/Messages/${sid}.json`));
    await call('POST', `${acct}/Messages.json`, { To: CUSTOMER, From: OWNED_NUMBER, Body: 'second' });
    const list = await call('GET', `${acct}/Messages.json?PageSize=1`);
    expect((list.body as { next_page_uri: string | null }).next_page_uri).not.toBeNull();
    expectConforms(api, '/2010-04-01/Accounts/{AccountSid}/Messages.json', 'get', 200, list);
  });

  it('Message: scheduled through a Messaging Service, then canceled (update)', async () => {
    const sendAt = new Date(env.sandbox.clock.now() + 3_600_000).toISOString();
    const form = { To: CUSTOMER, MessagingServiceSid: env.sandbox.messagingServiceSid, Body: 'later', ScheduleType: 'fixed', SendAt: sendAt };
    const created = await call('POST', `${acct}/Messages.json`, form);
    expectConforms(api, '/2010-04-01/Accounts/{AccountSid}/Messages.json', 'post', 201, created);
    expect((created.body as { status: string }).status).toBe('scheduled');
    const sid = (created.body as { sid: string }).sid;
    const one = '/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json';
    expectConforms(api, one, 'get', 200, await call('GET', `${acct}/Messages/${sid}.json`));
    const canceled = await call('POST', `${acct}/Messages/${sid}.json`, { Status: 'canceled' });
    expectConforms(api, one, 'post', 200, canceled);
    expect((canceled.body as { status: string }).status).toBe('canceled');
  });

  it('Messaging Service: list, fetch, and its sender pool', async () => {
    const sid = env.sandbox.messagingServiceSid;
    expectConforms(messaging, '/v1/Services', 'get', 200, await call('GET', '/messaging/v1/Services'));
    expectConforms(messaging, '/v1/Services/{Sid}', 'get', 200, await call('GET', `/messaging/v1/Services/${sid}`));
    const pool = await call('GET', `/messaging/v1/Services/${sid}/PhoneNumbers?PageSize=1`);
    expect((pool.body as { meta: { next_page_url: string | null } }).meta.next_page_url).not.toBeNull();
    expectConforms(messaging, '/v1/Services/{ServiceSid}/PhoneNumbers', 'get', 200, pool);
    const pn = (pool.body as { phone_numbers: Array<{ sid: string }> }).phone_numbers[0].sid;
    expectConforms(messaging, '/v1/Services/{ServiceSid}/PhoneNumbers/{Sid}', 'get', 200, await call('GET', `/messaging/v1/Services/${sid}/PhoneNumbers/${pn}`));
  });

  it('IncomingPhoneNumber: list, fetch and update', async () => {
    const list = await call('GET', `${acct}/IncomingPhoneNumbers.json`);
    expectConforms(api, '/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json', 'get', 200, list);
    const sid = (list.body as { incoming_phone_numbers: Array<{ sid: string }> }).incoming_phone_numbers[0].sid;
    const one = '/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json';
    expectConforms(api, one, 'get', 200, await call('GET', `${acct}/IncomingPhoneNumbers/${sid}.json`));
    expectConforms(api, one, 'post', 200, await call('POST', `${acct}/IncomingPhoneNumbers/${sid}.json`, { SmsUrl: 'https://example.com/sms' }));
  });

  it('Sync Service: fetch and list', async () => {
    expectConforms(sync, '/v1/Services/{Sid}', 'get', 200, await call('GET', '/sync/v1/Services/default'));
    expectConforms(sync, '/v1/Services', 'get', 200, await call('GET', '/sync/v1/Services'));
  });

  it('Sync Map: create (with TTL), fetch and list', async () => {
    const created = await call('POST', '/sync/v1/Services/default/Maps', { UniqueName: 'contract', Ttl: '3600' });
    expectConforms(sync, '/v1/Services/{ServiceSid}/Maps', 'post', 201, created);
    expectConforms(sync, '/v1/Services/{ServiceSid}/Maps/{Sid}', 'get', 200, await call('GET', '/sync/v1/Services/default/Maps/contract'));
    expectConforms(sync, '/v1/Services/{ServiceSid}/Maps', 'get', 200, await call('GET', '/sync/v1/Services/default/Maps'));
  });

  it('Sync Map Item: create, fetch, update and list', async () => {
    await call('POST', '/sync/v1/Services/default/Maps', { UniqueName: 'contract-items' });
    const base = '/sync/v1/Services/default/Maps/contract-items/Items';
    const created = await call('POST', base, { Key: 'k1', Data: JSON.stringify({ a: 1 }), ItemTtl: '60' });
    expectConforms(sync, '/v1/Services/{ServiceSid}/Maps/{MapSid}/Items', 'post', 201, created);
    await call('POST', base, { Key: 'k2', Data: '{}' });
    const item = '/v1/Services/{ServiceSid}/Maps/{MapSid}/Items/{Key}';
    expectConforms(sync, item, 'get', 200, await call('GET', `${base}/k1`));
    expectConforms(sync, item, 'post', 200, await call('POST', `${base}/k1`, { Data: JSON.stringify({ a: 2 }) }));
    const list = await call('GET', `${base}?PageSize=1`);
    expect((list.body as { meta: { next_page_url: string | null } }).meta.next_page_url).not.toBeNull();
    expectConforms(sync, '/v1/Services/{ServiceSid}/Maps/{MapSid}/Items', 'get', 200, list);
  });

  it('error bodies have exactly Twilio’s shape', async () => {
    const responses = [
      await call('GET', `${acct}/Messages/SM${'0'.repeat(32)}.json`),
      await call('POST', `${acct}/Messages.json`, { To: '+15005550001', From: OWNED_NUMBER, Body: 'x' }),
      await call('GET', '/sync/v1/Services/default/Maps/missing'),
      await call('GET', `/messaging/v1/Services/MG${'0'.repeat(32)}`),
      await call('POST', `${acct}/Messages.json`, { To: CUSTOMER, MessagingServiceSid: `MG${'0'.repeat(32)}`, Body: 'x' }),
    ];
    for (const { status, body } of responses) {
      const error = body as Record<string, unknown>;
      expect(Object.keys(error).sort()).toEqual(['code', 'message', 'more_info', 'status']);
      expect(typeOf(error.code)).toBe('integer');
      expect(typeof error.message).toBe('string');
      expect(error.more_info).toBe(`https://www.twilio.com/docs/errors/${String(error.code)}`);
      expect(error.status).toBe(status);
    }
  });

  it('the checker itself catches missing, unknown and mistyped fields', () => {
    const schema: Schema = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer', nullable: true } } };
    expect(check(api, schema, { a: 'x', b: null }, 'v')).toEqual([]);
    expect(check(api, schema, { a: 1, c: true }, 'v')).toEqual(['v.a: expected string, got integer', 'v.b: missing', 'v.c: not in the spec']);
  });
});
