import { createTwilioClient, toSandboxUri } from '../../../src/lib/twilio/client';

describe('toSandboxUri', () => {
  it.each([
    [
      'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?PageSize=2',
      'http://localhost:3001/api/2010-04-01/Accounts/AC1/Messages.json?PageSize=2',
    ],
    ['https://sync.twilio.com/v1/Services/default/Maps', 'http://localhost:3001/sync/v1/Services/default/Maps'],
    ['https://api.sydney.au1.twilio.com/2010-04-01/Accounts', 'http://localhost:3001/api/2010-04-01/Accounts'],
    ['https://verify.twilio.com', 'http://localhost:3001/verify/'],
  ])('sends %s to the sandbox', (uri, expected) => {
    expect(toSandboxUri(uri, 'http://localhost:3001/')).toBe(expected);
  });

  it('leaves other hosts alone', () => {
    expect(toSandboxUri('https://example.com/x', 'http://localhost:3001')).toBe('https://example.com/x');
    expect(toSandboxUri('https://twilio.com.evil.example/x', 'http://localhost:3001')).toBe('https://twilio.com.evil.example/x');
  });
});

describe('createTwilioClient', () => {
  it('uses the API key when both key and secret are set, for the given account', () => {
    const client = createTwilioClient({
      accountSid: 'AC' + '1'.repeat(32),
      authToken: 'token',
      apiKey: 'SK' + '2'.repeat(32),
      apiSecret: 'secret',
    });
    expect(client.username).toBe('SK' + '2'.repeat(32));
    expect(client.accountSid).toBe('AC' + '1'.repeat(32));
  });

  it('refuses incomplete credentials', () => {
    expect(() => createTwilioClient({ accountSid: 'AC' + '1'.repeat(32) })).toThrow(/credentials are incomplete/);
  });
});
