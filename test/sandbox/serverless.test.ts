/**
 * The sandbox's Serverless API through twilio-node (client.serverless.v1), with Versions uploaded
 * as multipart to serverless-upload: builds and their validation, deployments, Variables and Logs,
 * and the edge's view of them (sandbox.sites).
 */
import { ACCOUNT_SID, AUTH_TOKEN, startTestSandbox, type TestSandbox } from './helpers';
import { match } from '../support/match';
import { uploadVersion } from './serverless-helpers';

describe('sandbox Serverless API (twilio-node)', () => {
  let env: TestSandbox;

  beforeAll(async () => {
    env = await startTestSandbox();
  });

  afterAll(async () => {
    await env.sandbox.close();
  });

  async function serviceWithFunction(uniqueName: string) {
    const v1 = env.client.serverless.v1;
    const service = await v1.services.create({ uniqueName, friendlyName: uniqueName });
    const fnResource = await v1.services(service.sid).functions.create({ friendlyName: 'hello' });
    const upload = await uploadVersion(
      env.sandbox.url,
      { serviceSid: service.sid, kind: 'Functions', sid: fnResource.sid },
      { path: '/hello', visibility: 'public', content: 'exports.handler = (c, e, cb) => cb(null, "hi");' },
    );
    expect(upload.status).toBe(201);
    return { service, functionSid: fnResource.sid, versionSid: upload.body.sid as string };
  }

  it('services and environments: unique name as address, the domain as Twilio names it', async () => {
    const v1 = env.client.serverless.v1;
    const service = await v1.services.create({ uniqueName: 'names', friendlyName: 'Names' });
    expect(service.domainBase).toMatch(/^names-\d{4}$/);
    expect(service.includeCredentials).toBe(true);
    expect((await v1.services('names').fetch()).sid).toBe(service.sid);
    const dev = await v1.services(service.sid).environments.create({ uniqueName: 'dev-environment', domainSuffix: 'dev' });
    const bare = await v1.services(service.sid).environments.create({ uniqueName: 'production' });
    expect(dev.domainName).toBe(`${service.domainBase}-dev.twil.io`);
    expect(bare.domainName).toBe(`${service.domainBase}.twil.io`);
    expect(bare.domainSuffix).toBeNull();
    expect(dev.buildSid).toBeNull();
    await expect(v1.services(service.sid).environments.create({ uniqueName: 'again', domainSuffix: 'dev' })).rejects.toMatchObject({
      status: 400,
    });
    expect((await v1.services(service.sid).environments.list()).map((e) => e.uniqueName)).toEqual(['dev-environment', 'production']);
  });

  it('a build is building when created, completed when read; a deployment makes the domain serve it', async () => {
    const v1 = env.client.serverless.v1;
    const { service, versionSid } = await serviceWithFunction('build-deploy');
    const environment = await v1.services(service.sid).environments.create({ uniqueName: 'dev', domainSuffix: 'dev' });
    const build = await v1.services(service.sid).builds.create({
      functionVersions: [versionSid],
      dependencies: JSON.stringify([{ name: '@twilio/runtime-handler', version: '2.0.1' }]),
      runtime: 'node22',
    });
    expect(build.status).toBe('building');
    expect(env.sandbox.sites.siteFor(environment.domainName)).toBeUndefined();
    expect((await v1.services(service.sid).builds(build.sid).buildStatus().fetch()).status).toBe('completed');
    const fetched = await v1.services(service.sid).builds(build.sid).fetch();
    expect(fetched.functionVersions).toEqual([expect.objectContaining({ sid: versionSid, path: '/hello', visibility: 'PUBLIC' })]);

    const deployment = await v1.services(service.sid).environments(environment.sid).deployments.create({ buildSid: build.sid });
    expect(deployment.buildSid).toBe(build.sid);
    expect((await v1.services(service.sid).environments(environment.sid).fetch()).buildSid).toBe(build.sid);
    const site = env.sandbox.sites.siteFor(environment.domainName);
    expect(site).toMatchObject({ buildSid: build.sid, deploymentSid: deployment.sid, runtime: 'node22' });
    expect(site?.functions[0].content.toString()).toContain('"hi"');
  });

  it('Variables: create, update, list and delete show in siteFor at once (no new build)', async () => {
    const v1 = env.client.serverless.v1;
    const { service, versionSid } = await serviceWithFunction('variables');
    const environment = await v1.services(service.sid).environments.create({ uniqueName: 'dev', domainSuffix: 'dev' });
    const build = await v1.services(service.sid).builds.create({ functionVersions: [versionSid] });
    await v1.services(service.sid).builds(build.sid).fetch();
    await v1.services(service.sid).environments(environment.sid).deployments.create({ buildSid: build.sid });
    const variables = v1.services(service.sid).environments(environment.sid).variables;

    const created = await variables.create({ key: 'GREETING', value: 'hi' });
    expect(env.sandbox.sites.siteFor(environment.domainName)?.variables).toEqual({ GREETING: 'hi' });
    await variables(created.sid).update({ value: 'hello' });
    expect(env.sandbox.sites.siteFor(environment.domainName)?.variables).toEqual({ GREETING: 'hello' });
    expect((await variables.list()).map((v) => [v.key, v.value])).toEqual([['GREETING', 'hello']]);
    await variables(created.sid).remove();
    expect(env.sandbox.sites.siteFor(environment.domainName)?.variables).toEqual({});
  });

  it('Variables: Key over 128 characters and Value over 450 bytes are refused', async () => {
    const v1 = env.client.serverless.v1;
    const service = await v1.services.create({ uniqueName: 'variable-limits', friendlyName: 'limits' });
    const environment = await v1.services(service.sid).environments.create({ uniqueName: 'dev' });
    const variables = v1.services(service.sid).environments(environment.sid).variables;
    await expect(variables.create({ key: 'K'.repeat(129), value: 'v' })).rejects.toMatchObject({ status: 400, code: 20001 });
    await expect(variables.create({ key: 'K', value: 'é'.repeat(226) })).rejects.toMatchObject({ status: 400, code: 20001 });
    expect((await variables.create({ key: 'K'.repeat(128), value: 'v'.repeat(450) })).key).toHaveLength(128);
  });

  it('Logs: what the edge appends is listed newest first, filtered by Function and date', async () => {
    const v1 = env.client.serverless.v1;
    const { service, functionSid, versionSid } = await serviceWithFunction('logs');
    const environment = await v1.services(service.sid).environments.create({ uniqueName: 'dev', domainSuffix: 'dev' });
    const build = await v1.services(service.sid).builds.create({ functionVersions: [versionSid] });
    await v1.services(service.sid).builds(build.sid).fetch();
    await v1.services(service.sid).environments(environment.sid).deployments.create({ buildSid: build.sid });
    const site = env.sandbox.sites.siteFor(environment.domainName);
    if (!site) throw new Error('no site');
    env.sandbox.sites.appendLog(site, { functionSid, requestSid: `RQ${'1'.repeat(32)}`, level: 'info', message: 'first' });
    env.sandbox.sites.appendLog(site, {
      functionSid: `ZH${'9'.repeat(32)}`,
      requestSid: `RQ${'2'.repeat(32)}`,
      level: 'error',
      message: 'other',
    });
    env.sandbox.clock.advance(60_000);
    env.sandbox.sites.appendLog(site, { functionSid, requestSid: `RQ${'3'.repeat(32)}`, level: 'warn', message: 'second' });

    const logs = v1.services(service.sid).environments(environment.sid).logs;
    const mine = await logs.list({ functionSid });
    expect(mine.map((l) => [l.message, l.level])).toEqual([
      ['second', 'warn'],
      ['first', 'info'],
    ]);
    expect(mine[0].sid).toMatch(/^NO[0-9a-f]{32}$/);
    expect(mine[0]).toMatchObject({
      buildSid: build.sid,
      deploymentSid: site.deploymentSid,
    });
    // Over HTTP: under jest, twilio-node drops Date query parameters (its `instanceof Date` sees another realm's Date).
    const startDate = new Date(env.sandbox.clock.now() - 30_000).toISOString();
    const recent = await fetch(
      `${env.sandbox.url}/serverless/v1/Services/${service.sid}/Environments/${environment.sid}/Logs?StartDate=${startDate}`,
      {
        headers: { Authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}` },
      },
    );
    expect(((await recent.json()) as { logs: Array<{ message: string }> }).logs.map((l) => l.message)).toEqual(['second']);
    expect((await logs(mine[1].sid).fetch()).message).toBe('first');
    expect(await logs.list({ pageSize: 1, limit: 5 })).toHaveLength(3);
  });

  it('node24: listed handlers from 1.2.0 are upgraded to 2.1.2; older ones fail the build', async () => {
    const v1 = env.client.serverless.v1;
    const { service, versionSid } = await serviceWithFunction('node24');
    const deps = (version: string) => JSON.stringify([{ name: '@twilio/runtime-handler', version }]);
    const upgraded = await v1
      .services(service.sid)
      .builds.create({ functionVersions: [versionSid], dependencies: deps('2.0.1'), runtime: 'node24' });
    expect(upgraded.dependencies).toEqual([{ name: '@twilio/runtime-handler', version: '2.1.2' }]);
    expect((await v1.services(service.sid).builds(upgraded.sid).fetch()).status).toBe('completed');
    const old = await v1
      .services(service.sid)
      .builds.create({ functionVersions: [versionSid], dependencies: deps('1.1.3'), runtime: 'node24' });
    expect(old.status).toBe('building');
    expect((await v1.services(service.sid).builds(old.sid).buildStatus().fetch()).status).toBe('failed');
    const environment = await v1.services(service.sid).environments.create({ uniqueName: 'dev' });
    await expect(v1.services(service.sid).environments(environment.sid).deployments.create({ buildSid: old.sid })).rejects.toMatchObject({
      status: 400,
    });
  });

  it("a Build without Runtime gets the runtime of the service's last successful Build, node22 when there is none", async () => {
    const v1 = env.client.serverless.v1;
    const { service, versionSid } = await serviceWithFunction('default-runtime');
    const builds = v1.services(service.sid).builds;
    const handler = (version: string) => JSON.stringify([{ name: '@twilio/runtime-handler', version }]);
    expect((await builds.create({ functionVersions: [versionSid] })).runtime).toBe('node22');
    expect((await builds.create({ functionVersions: [versionSid], runtime: 'node20' })).runtime).toBe('node20');
    // A failed Build (handler 1.1.3 on node24) does not count.
    const failed = await builds.create({ functionVersions: [versionSid], runtime: 'node24', dependencies: handler('1.1.3') });
    expect((await builds(failed.sid).fetch()).status).toBe('failed');
    expect((await builds.create({ functionVersions: [versionSid] })).runtime).toBe('node20');
    expect((await builds.create({ functionVersions: [versionSid], runtime: 'node24' })).runtime).toBe('node24');
    expect((await builds.create({ functionVersions: [versionSid] })).runtime).toBe('node24');
    // An account has at most 10 Services.
    await v1.services(service.sid).remove();
  });

  it('refuses node18 (82007), handler 2.1.0 (20001), over 50 Function Versions and a bad visibility', async () => {
    const v1 = env.client.serverless.v1;
    const { service, functionSid, versionSid } = await serviceWithFunction('refusals');
    await expect(v1.services(service.sid).builds.create({ functionVersions: [versionSid], runtime: 'node18' })).rejects.toMatchObject({
      status: 400,
      code: 82007,
    });
    await expect(
      v1.services(service.sid).builds.create({
        functionVersions: [versionSid],
        dependencies: JSON.stringify([{ name: '@twilio/runtime-handler', version: '2.1.0' }]),
      }),
    ).rejects.toMatchObject({
      status: 400,
      code: 20001,
      message:
        'Some dependencies could not be validated. No matching version found for @twilio/runtime-handler@2.1.0. ' +
        'You can find the valid versions at https://www.twilio.com/docs/serverless/functions-assets/handler',
    });

    const many: string[] = [];
    for (let i = 0; i < 51; i += 1) {
      const upload = await uploadVersion(
        env.sandbox.url,
        { serviceSid: service.sid, kind: 'Functions', sid: functionSid },
        { path: `/f${i}`, visibility: 'public', content: '//' },
      );
      many.push(upload.body.sid as string);
    }
    await expect(v1.services(service.sid).builds.create({ functionVersions: many })).rejects.toMatchObject({ status: 400, code: 20001 });
    expect((await v1.services(service.sid).builds.create({ functionVersions: many.slice(0, 50) })).functionVersions).toHaveLength(50);

    const badVisibility = await uploadVersion(
      env.sandbox.url,
      { serviceSid: service.sid, kind: 'Functions', sid: functionSid },
      { path: '/x', visibility: 'secret', content: '//' },
    );
    expect(badVisibility).toMatchObject({ status: 400, body: { code: 20001 } });
  });

  it('refuses a build with two Versions at one path (a Function and an Asset, or two Functions) with 20001', async () => {
    const v1 = env.client.serverless.v1;
    const { service, functionSid, versionSid } = await serviceWithFunction('duplicates');
    const asset = await v1.services(service.sid).assets.create({ friendlyName: 'hello' });
    const assetAtSamePath = await uploadVersion(
      env.sandbox.url,
      { serviceSid: service.sid, kind: 'Assets', sid: asset.sid },
      { path: '/hello', visibility: 'public', content: 'hi' },
    );
    const secondFunctionVersion = await uploadVersion(
      env.sandbox.url,
      { serviceSid: service.sid, kind: 'Functions', sid: functionSid },
      { path: '/hello', visibility: 'public', content: '//' },
    );
    const refusal = { status: 400, code: 20001, message: match.stringContaining('/hello') };
    await expect(
      v1.services(service.sid).builds.create({ functionVersions: [versionSid], assetVersions: [assetAtSamePath.body.sid as string] }),
    ).rejects.toMatchObject(refusal);
    await expect(
      v1.services(service.sid).builds.create({ functionVersions: [versionSid, secondFunctionVersion.body.sid as string] }),
    ).rejects.toMatchObject(refusal);
    expect(await v1.services(service.sid).builds.list()).toEqual([]);
  });

  it('refuses a private Asset over 10 MB (a public one of that size is fine) and an upload over 25 MB before reading it', async () => {
    const v1 = env.client.serverless.v1;
    const service = await v1.services.create({ uniqueName: 'asset-sizes', friendlyName: 'sizes' });
    const asset = await v1.services(service.sid).assets.create({ friendlyName: 'big' });
    const target = { serviceSid: service.sid, kind: 'Assets' as const, sid: asset.sid };
    const overTen = Buffer.alloc(10 * 1024 * 1024 + 1);
    expect(await uploadVersion(env.sandbox.url, target, { path: '/big.bin', visibility: 'private', content: overTen })).toMatchObject({
      status: 400,
      body: { code: 20001 },
    });
    expect((await uploadVersion(env.sandbox.url, target, { path: '/big.bin', visibility: 'public', content: overTen })).status).toBe(201);
    const overLimit = Buffer.alloc(26 * 1024 * 1024);
    expect(await uploadVersion(env.sandbox.url, target, { path: '/huge.bin', visibility: 'public', content: overLimit })).toMatchObject({
      status: 413,
      body: { code: 20413 },
    });
  });

  it('Function Version Content returns the uploaded code', async () => {
    const v1 = env.client.serverless.v1;
    const { service, functionSid, versionSid } = await serviceWithFunction('content');
    const content = await v1.services(service.sid).functions(functionSid).functionVersions(versionSid).functionVersionContent().fetch();
    expect(content.content).toBe('exports.handler = (c, e, cb) => cb(null, "hi");');
  });
});
