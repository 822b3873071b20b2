import { ACCOUNT_SID, AUTH_TOKEN, CUSTOMER, OWNED_NUMBER, restError, sandboxWithReceiver } from './helpers';
import { match } from '../support/match';

const fixture = sandboxWithReceiver();

/** A Messages create over plain HTTP, to see the exact error body. */
async function create(statusCallback: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${fixture.env.sandbox.url}/api/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ To: CUSTOMER, From: OWNED_NUMBER, Body: 'hi', StatusCallback: statusCallback }).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('Messages create: StatusCallback must be an absolute http(s) URL (21609)', () => {
  it.each([
    ['a relative path', '/relative'],
    ['another scheme', 'ftp://x'],
    ['no URL at all', 'not a url'],
    ['a scheme without host', 'http://'],
    ['a hostname with an underscore', 'https://bad_host.example.com/status'],
    ['more than 4000 characters', `https://example.com/${'a'.repeat(4000)}`],
  ])('refuses %s with 400 / 21609 in Twilio’s error shape', async (_name, url) => {
    const { status, body } = await create(url);
    expect(status).toBe(400);
    expect(body).toEqual({
      code: 21609,
      message: `The StatusCallback URL ${url} is not a valid URL.`,
      more_info: 'https://www.twilio.com/docs/errors/21609',
      status: 400,
    });
  });

  it('raises a RestException with code 21609 in twilio-node', async () => {
    const error = await restError(
      fixture.env.client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: 'hi', statusCallback: '/relative' }),
    );
    expect([error.status, error.code]).toEqual([400, 21609]);
    expect(await fixture.env.client.messages.list({ to: CUSTOMER, limit: 20 })).not.toContainEqual(match.objectContaining({ body: 'hi' }));
  });

  it('accepts http and https URLs (query strings included) and treats an empty one as absent', async () => {
    expect((await create(`${fixture.receiver.url}/status?tenant=a&x=1`)).status).toBe(201);
    expect((await create('https://example.com/status')).status).toBe(201);
    const none = await create('');
    expect(none.status).toBe(201);
    await fixture.env.sandbox.settled();
  });

  it('uses the same URL rule for Calls create (21609 on StatusCallback, 21205 on Url)', async () => {
    const call = (extra: Record<string, string>) =>
      restError(fixture.env.client.calls.create({ to: CUSTOMER, from: OWNED_NUMBER, url: 'https://example.com/voice', ...extra }));
    expect((await call({ statusCallback: 'ftp://x' })).code).toBe(21609);
    expect((await call({ url: '/relative' })).code).toBe(21205);
  });
});
