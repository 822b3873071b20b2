import { CUSTOMER, OWNED_NUMBER, control, restError, startTestSandbox, type TestSandbox } from './helpers';

let env: TestSandbox;

beforeAll(async () => {
  env = await startTestSandbox();
});

afterAll(async () => {
  await env.sandbox.close();
});

describe('/_sandbox control plane', () => {
  it('injects Twilio-shaped faults a given number of times, then serves normally', async () => {
    const added = await control<{ id: number }>(env.sandbox, 'POST', '/faults', {
      method: 'POST',
      pathPattern: '/Messages\\.json$',
      status: 429,
      code: 20429,
      message: 'Too Many Requests',
      times: 2,
    });
    expect(added.status).toBe(201);
    const send = () => env.client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: 'retry me' });
    for (let i = 0; i < 2; i += 1) {
      const error = await restError(send());
      expect([error.status, error.code]).toEqual([429, 20429]);
    }
    await expect(send()).resolves.toMatchObject({ status: 'queued' });
  });

  it('matches faults by method and clears them', async () => {
    await control(env.sandbox, 'POST', '/faults', { method: 'POST', pathPattern: '^/sync/', status: 429, code: 54009, times: 5 });
    await expect(env.client.sync.v1.services('default').fetch()).resolves.toBeDefined();
    expect((await restError(env.client.sync.v1.services('default').syncMaps.create({}))).code).toBe(54009);
    const cleared = await control<{ cleared: number }>(env.sandbox, 'DELETE', '/faults');
    expect(cleared.body.cleared).toBe(1);
    await expect(env.client.sync.v1.services('default').syncMaps.create({})).resolves.toBeDefined();
  });

  it('rejects an invalid fault', async () => {
    expect((await control(env.sandbox, 'POST', '/faults', { pathPattern: '(', status: 500 })).status).toBe(400);
    expect((await control(env.sandbox, 'POST', '/faults', { pathPattern: 'x' })).status).toBe(400);
  });

  it('reads and advances the clock', async () => {
    const before = await control<{ now: number }>(env.sandbox, 'GET', '/clock');
    const after = await control<{ now: number }>(env.sandbox, 'POST', '/clock', { advanceSeconds: 3600 });
    expect(after.body.now - before.body.now).toBeGreaterThanOrEqual(3_600_000);
    expect((await control(env.sandbox, 'POST', '/clock', { advanceSeconds: -1 })).status).toBe(400);
  });

  it('waits for in-flight deliveries at /_sandbox/settled', async () => {
    const m = await env.client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: 'settle' });
    const settled = await control<{ settled: boolean }>(env.sandbox, 'GET', '/settled?timeoutMs=5000');
    expect(settled.body.settled).toBe(true);
    expect((await env.client.messages(m.sid).fetch()).status).toBe('delivered');
  });

  it('answers unknown control endpoints with a JSON 404', async () => {
    const res = await control<{ error: { code: string } }>(env.sandbox, 'GET', '/nope');
    expect([res.status, res.body.error.code]).toEqual([404, 'not_found']);
  });
});
