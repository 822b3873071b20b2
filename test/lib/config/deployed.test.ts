import { SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN } from '../../../src/lib/config/schema';
import { readSettings, refuseBroken, runsOnTwilio } from '../../../src/lib/config/settings';
import { errorWith, match } from '../../support/match';
import { quietly } from '../../support/quietly';

describe('runsOnTwilio', () => {
  it('is true on a *.twil.io Service domain, or with a Service SID from the runtime', () => {
    expect(runsOnTwilio({ DOMAIN_NAME: 'comms-1234-dev.twil.io' })).toBe(true);
    expect(runsOnTwilio({ DOMAIN_NAME: 'COMMS-1234.TWIL.IO' })).toBe(true);
    expect(runsOnTwilio({ SERVICE_SID: `ZS${'0a'.repeat(16)}` })).toBe(true);
  });

  it("is false on this machine: localhost, a tunnel, twilio-run's SERVICE_SID getter (never called)", () => {
    expect(runsOnTwilio({ DOMAIN_NAME: 'localhost:3000' })).toBe(false);
    expect(runsOnTwilio({ DOMAIN_NAME: 'abc.ngrok.app' })).toBe(false);
    expect(runsOnTwilio({ DOMAIN_NAME: 'twil.io.example.com' })).toBe(false);
    const local = { DOMAIN_NAME: 'localhost:3000' };
    const getter = jest.fn(() => undefined);
    Object.defineProperty(local, 'SERVICE_SID', { get: getter });
    expect(runsOnTwilio(local)).toBe(false);
    expect(getter).not.toHaveBeenCalled();
  });
});

describe('a service running on Twilio refuses sandbox settings by itself', () => {
  const sandboxEnv = { TWILIO_SANDBOX_URL: 'http://localhost:3001', ACCOUNT_SID: SANDBOX_ACCOUNT_SID, AUTH_TOKEN: SANDBOX_AUTH_TOKEN };

  it('deployed: names them in problems, never uses the sandbox URL, and refuses the client with a clear reason', () => {
    const settings = quietly(() => readSettings({ ...sandboxEnv, DOMAIN_NAME: 'comms-1234-dev.twil.io' }));
    // The account's credentials come from the platform at run time (the sandbox's edge gives its own
    // test account): only a deploy refuses to upload them (local/deploy-guard).
    expect(settings.problems).toEqual(['TWILIO_SANDBOX_URL']);
    expect(settings.sandboxUrl).toBeUndefined();
    expect(() => refuseBroken(settings, ['TWILIO_SANDBOX_URL'], 'every Twilio request')).toThrow(
      errorWith({
        status: 503,
        code: 'not_configured',
        message: match.stringMatching(/^TWILIO_SANDBOX_URL is a local-only setting that a service running on Twilio refuses/),
      }),
    );
  });

  it('locally: the same values are the sandbox, and fine', () => {
    const settings = readSettings({ ...sandboxEnv, DOMAIN_NAME: 'localhost:3000' });
    expect(settings.problems).toEqual([]);
    expect(settings.sandboxUrl).toBe('http://localhost:3001');
  });
});
