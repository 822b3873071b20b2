/**
 * serverless-api's own deploy (what `twilio-run deploy` calls) against the sandbox's Serverless
 * API: services, environments, functions and assets with their multipart Version uploads, the
 * build and its validation, variables, the deployment, and what the edge then sees.
 */
import { ACCOUNT_SID, AUTH_TOKEN, startTestSandbox, type TestSandbox } from './helpers';
import { fn, serverlessApiClient } from './serverless-helpers';

describe('serverless-api deployProject against the sandbox', () => {
  let env: TestSandbox;

  beforeAll(async () => {
    env = await startTestSandbox();
  });

  afterAll(async () => {
    await env.sandbox.close();
  });

  function deploy(serviceName: string, dependencies: Record<string, string>, runtime?: string) {
    return serverlessApiClient(env.sandbox.url).deployProject({
      username: ACCOUNT_SID,
      password: AUTH_TOKEN,
      serviceName,
      functionsEnv: 'dev',
      functions: [fn('/hello', 'public'), fn('/sms/incoming', 'protected')],
      assets: [{ name: 'shared.js', path: '/shared.js', access: 'private', content: 'module.exports = 42;' }],
      env: { GREETING: 'hi' },
      pkgJson: { dependencies },
      overrideExistingService: true,
      ...(runtime ? { runtime } : {}),
    });
  }

  it('deploys with @twilio/runtime-handler 2.0.1 on node22; the domain serves that build with its files and Variables', async () => {
    const result = await deploy('deploy-ok', { '@twilio/runtime-handler': '2.0.1', twilio: '6.2.0' }, 'node22');
    expect(result.domain).toMatch(/^deploy-ok-\d{4}-dev\.twil\.io$/);
    expect(result.runtime).toBe('node22');
    expect(env.sandbox.sites.siteFor('other-1234.twil.io')).toBeUndefined();

    const site = env.sandbox.sites.siteFor(result.domain.toUpperCase());
    expect(site).toMatchObject({
      domain: result.domain,
      serviceSid: result.serviceSid,
      environmentSid: result.environmentSid,
      buildSid: result.buildSid,
      runtime: 'node22',
      dependencies: { '@twilio/runtime-handler': '2.0.1', twilio: '6.2.0' },
      variables: { GREETING: 'hi' },
      includeCredentials: true,
    });
    expect(site?.functions.map((f) => [f.path, f.visibility]).sort()).toEqual([
      ['/hello', 'public'],
      ['/sms/incoming', 'protected'],
    ]);
    expect(site?.functions.find((f) => f.path === '/hello')?.content.toString()).toContain("cb(null, '/hello')");
    expect(site?.assets.map((a) => [a.path, a.visibility, a.content.toString()])).toEqual([
      ['/shared.js', 'private', 'module.exports = 42;'],
    ]);
  });

  it('a second deploy replaces the site: new build, new deployment', async () => {
    const first = await deploy('deploy-twice', { '@twilio/runtime-handler': '2.0.1' });
    const before = env.sandbox.sites.siteFor(first.domain);
    const second = await deploy('deploy-twice', { '@twilio/runtime-handler': '2.0.0' });
    const after = env.sandbox.sites.siteFor(second.domain);
    expect(second.domain).toBe(first.domain);
    expect(after?.buildSid).toBe(second.buildSid);
    expect(after?.buildSid).not.toBe(before?.buildSid);
    expect(after?.deploymentSid).not.toBe(before?.deploymentSid);
    expect(after?.dependencies['@twilio/runtime-handler']).toBe('2.0.0');
  });

  it('refuses @twilio/runtime-handler 2.1.0 (npm has it, Twilio does not list it) with 20001 and the platform’s message', async () => {
    await expect(deploy('deploy-handler-210', { '@twilio/runtime-handler': '2.1.0' })).rejects.toMatchObject({
      name: 'TwilioApiError',
      code: 20001,
      message:
        'Some dependencies could not be validated. No matching version found for @twilio/runtime-handler@2.1.0. ' +
        'You can find the valid versions at https://www.twilio.com/docs/serverless/functions-assets/handler',
    });
  });

  it('refuses a dependency version that does not exist (none installed satisfies it) with 20001', async () => {
    await expect(deploy('deploy-bad-dep', { '@twilio/runtime-handler': '2.0.1', twilio: '0.0.1' })).rejects.toMatchObject({
      code: 20001,
      message: 'Some dependencies could not be validated. No matching version found for twilio@0.0.1.',
    });
  });

  it('refuses node18 with 82007 Unsupported Runtime', async () => {
    await expect(deploy('deploy-node18', { '@twilio/runtime-handler': '2.0.1' }, 'node18')).rejects.toMatchObject({
      name: 'TwilioApiError',
      code: 82007,
    });
  });
});
